#!/usr/bin/env bash
# Regenerates src/main/java/dev/nnj/onnx/proto/OnnxProto.java from src/main/proto/onnx.proto.
#
# The generated Java is committed, so the build needs no protoc (it runs offline, on any platform). Run this
# only after changing onnx.proto or the protobuf version: it fetches protoc from Maven Central (the same
# version as protobuf-java in the root pom.xml, which must match the generated code) and runs it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(sed -n 's:.*<protobuf.version>\(.*\)</protobuf.version>.*:\1:p' "$here/../pom.xml")"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) classifier=linux-x86_64 ;;
  Linux-aarch64) classifier=linux-aarch_64 ;;
  Darwin-x86_64) classifier=osx-x86_64 ;;
  Darwin-arm64) classifier=osx-aarch_64 ;;
  *) echo "generate-proto.sh: no protoc on Maven Central for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
mvn -B -q dependency:get -Dartifact="com.google.protobuf:protoc:$version:exe:$classifier" -Dtransitive=false
protoc="$(mktemp -d)/protoc"
cp "$HOME/.m2/repository/com/google/protobuf/protoc/$version/protoc-$version-$classifier.exe" "$protoc"
chmod +x "$protoc"
rm -rf "$here/src/main/java/dev/nnj/onnx/proto"
"$protoc" --proto_path="$here/src/main/proto" --java_out="$here/src/main/java" "$here/src/main/proto/onnx.proto"
echo "generated $(find "$here/src/main/java/dev/nnj/onnx/proto" -name '*.java' | wc -l) file(s) with protoc $version"
