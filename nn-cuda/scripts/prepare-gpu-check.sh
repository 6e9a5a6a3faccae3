#!/usr/bin/env bash
# Prepares a self-contained folder that checks nnj's CUDA backend on a GPU machine that has an NVIDIA driver
# but no Java, no Maven and no network:
#
#   nn-cuda/scripts/prepare-gpu-check.sh [OUT]        default OUT: nn-cuda/target/gpu-check
#
# then copy OUT to the GPU machine and run OUT/run.sh (or nn-cuda/scripts/gpu-check.sh OUT). What goes in:
#   jre/             a jlinked Java runtime (only the modules the check uses; debug info stripped, compressed)
#   lib/             nn-api (+ its conformance test-jar), nn-cpu, nn-cuda, nn-examples and their dependencies;
#                    JCuda's natives jar without the two JNI libraries nnj never loads (NVRTC, PTX compiler)
#   test-classes/    nn-cuda's tests, run by the JUnit console launcher
#   src/main/cuda/   kernels.cu, which a test hashes against the PTX header
#   junit-platform-console-standalone-*.jar
#   run.sh           the check itself (scripts/gpu-check-run.sh)
# Needs a JDK 17+ (JAVA_HOME, or javac on PATH; its version is the runtime's) and Maven with Maven Central
# (or the artifacts already in ~/.m2). Fails if the folder exceeds LIMIT_MIB (default 64).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$repo/nn-cuda/target/gpu-check}"
limit_mib="${LIMIT_MIB:-64}"
if [[ -z "${JAVA_HOME:-}" ]]; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
fi
export JAVA_HOME
jlink="$JAVA_HOME/bin/jlink"
[[ -x "$jlink" ]] || { echo "no jlink in $JAVA_HOME: set JAVA_HOME to a JDK" >&2; exit 2; }

cd "$repo"
modules="nn-cuda"
[[ -f nn-examples/pom.xml ]] && modules="nn-cuda,nn-examples"
junit_version="$(sed -n 's:.*<junit.version>\(5\.[0-9.]*\)</junit.version>.*:\1:p' pom.xml | head -n1)"
platform_version="1.${junit_version#5.}"

rm -rf "$out"
mkdir -p "$out/lib" "$out/src/main/cuda"

echo "building $modules and collecting dependencies (JUnit $junit_version, platform $platform_version)" >&2
# One reactor run: siblings resolve from the reactor, so nothing is installed into ~/.m2. Every module's
# dependencies land in lib/; JUnit itself comes from the console launcher instead.
mvn -B -q -DskipTests -pl "$modules" -am package dependency:copy-dependencies \
  -DincludeScope=test -DoutputDirectory="$out/lib" \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
mvn -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" \
  -DoutputDirectory="$out"

for module in ${modules//,/ }; do
  for jar in "$module"/target/"$module"-*.jar; do
    case "$jar" in *-tests.jar|*-sources.jar|*-javadoc.jar|*original*) continue ;; esac
    cp "$jar" "$out/lib/"
  done
done
cp -r nn-cuda/target/test-classes "$out/test-classes"
cp nn-cuda/src/main/cuda/kernels.cu "$out/src/main/cuda/"
cp nn-cuda/scripts/gpu-check-run.sh "$out/run.sh"
chmod +x "$out/run.sh"

# nnj loads JCudaDriver, JCudaRuntime and JCublas2 only: drop the 24 MB PTX compiler and NVRTC bindings.
for natives in "$out"/lib/jcuda-natives-*.jar; do
  (cd "$(dirname "$natives")" && zip -q -d "$(basename "$natives")" 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*') || true
done

# The modules the check needs: the JDK's own, as jdeps finds them in every jar, plus the Vector API
# (nn-cpu's fast path, loaded by name) and jdk.unsupported.
modules_needed="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps \
  -q "$out"/lib/*.jar "$out"/junit-platform-console-standalone-*.jar 2>/dev/null || true)"
modules_needed="${modules_needed:-java.base,java.logging,java.management,java.naming,java.xml}"
modules_needed="$modules_needed,java.logging,java.xml,jdk.unsupported,jdk.incubator.vector,jdk.zipfs"
java_major="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"
compress="--compress=2"
[[ "${java_major%%.*}" -ge 21 ]] && compress="--compress=zip-6"
"$jlink" --add-modules "$modules_needed" --strip-debug --no-header-files --no-man-pages $compress \
  --output "$out/jre"

size_kib="$(du -sk "$out" | cut -f1)"
echo "prepared $out: $((size_kib / 1024)) MiB (runtime: Java $java_major with $modules_needed)" >&2
if (( size_kib > limit_mib * 1024 )); then
  echo "the folder is larger than $limit_mib MiB" >&2
  exit 1
fi
