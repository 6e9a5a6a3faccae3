#!/usr/bin/env bash
# Prepares a self-contained folder that checks nnj's CUDA backend on a GPU machine that has an NVIDIA driver
# but no Java, no Maven and no network:
#
#   nn-cuda/scripts/prepare-gpu-check.sh [OUT]        default OUT: nn-cuda/target/gpu-check
#
# then copy OUT to the GPU machine and run OUT/run.sh (or nn-cuda/scripts/gpu-check.sh OUT). What goes in:
#   jre/             a jlinked Java runtime (only the modules the check uses; debug info stripped, compressed)
#   lib/             nn-api (+ its conformance test-jar), nn-cpu, nn-cuda, nn-examples and the dependencies the check
#                    runs, JCuda's natives jar without the two JNI libraries nnj never loads (NVRTC, PTX compiler).
#                    Left out: nn-plots and JFreeChart (the digits step runs without --plots, so no chart class loads,
#                    and they would need java.desktop, about 10 MB more runtime), jqwik (nn-cpu's tests only) and
#                    picocli's jar (nn-examples carries picocli compiled in)
#   test-classes/    nn-cuda's tests, run by the JUnit console launcher
#   src/main/cuda/   kernels.cu, which a test hashes against the PTX header
#   junit-platform-console-standalone-*.jar
#   run.sh           the check itself (scripts/gpu-check-run.sh)
# Needs a JDK 17+ (JAVA_HOME, or javac on PATH; its version is the runtime's), Maven with Maven Central (or the
# artifacts already in ~/.m2) and zip; objdump or readelf, where present, report the glibc the bundle needs.
# Fails if it goes over LIMIT_MIB (default 64, what a remote GPU runner that copies the checkout along with the
# folder may take): inside a git checkout that limit holds the bundle together with the working tree sent with it
# (git ls-files), so the bundle gets what is left.
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
# Without zip the 24 MB PTX compiler would stay in JCuda's natives jar and the folder would not fit: stop now.
command -v zip >/dev/null || { echo "zip not found: it removes the unused JNI libraries from JCuda's natives jar" \
  "(install zip, e.g. apt-get install zip)" >&2; exit 2; }
java_major="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')"

cd "$repo"
modules="nn-cuda"
[[ -f nn-examples/pom.xml ]] && modules="nn-cuda,nn-examples"
junit_version="$(sed -n 's:.*<junit.version>\(5\.[0-9.]*\)</junit.version>.*:\1:p' pom.xml | head -n1)"
platform_version="1.${junit_version#5.}"

rm -rf "$out"
mkdir -p "$out/lib" "$out/src/main/cuda"
out="$(cd "$out" && pwd)"

echo "building $modules and collecting dependencies (JUnit $junit_version, platform $platform_version)" >&2
# One reactor run: siblings resolve from the reactor, so nothing is installed into ~/.m2. Every module's
# dependencies land in lib/; JUnit itself comes from the console launcher instead. What the check never loads
# is excluded (see lib/ above): nn-plots with its JFreeChart, nn-cpu's test library jqwik, picocli's jar, and
# ONNX Runtime (133 MiB with its natives), which only nn-onnx's own tests use; nn-examples reaches nn-onnx now.
excluded_groups="org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian,net.jqwik,org.jfree,info.picocli"
mvn -B -q -DskipTests -pl "$modules" -am package dependency:copy-dependencies \
  -DincludeScope=test -DoutputDirectory="$out/lib" -DexcludeGroupIds="$excluded_groups" \
  -DexcludeArtifactIds=nn-plots,onnxruntime
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
# The commit the bundle was built from, so that a report ties its figures to the code (run.sh prints it).
if commit="$(git -C "$repo" rev-parse HEAD 2>/dev/null)"; then
  if [ -n "$(git -C "$repo" status --porcelain 2>/dev/null)" ]; then   # new files not yet added count too
    commit="$commit, with uncommitted changes"
  fi
  echo "$commit" > "$out/commit.txt"
fi

# nnj loads JCudaDriver, JCudaRuntime and JCublas2 only: drop the 24 MB PTX compiler and NVRTC bindings.
# zip exits 12 when nothing matched; the listing afterwards is what decides.
for natives in "$out"/lib/jcuda-natives-*.jar; do
  rc=0
  (cd "$(dirname "$natives")" && zip -q -d "$(basename "$natives")" 'lib/libJNvPTXCompiler-*' 'lib/libJNvrtc-*') \
    || rc=$?
  listing="$("$JAVA_HOME/bin/jar" tf "$natives")"
  if (( rc != 0 && rc != 12 )) || grep -Eq 'libJNvPTXCompiler|libJNvrtc' <<<"$listing"; then
    echo "could not remove the PTX compiler and NVRTC libraries from $natives (zip exit status $rc)" >&2
    exit 1
  fi
done

# The JDK modules the check needs, as jdeps finds them. Roots: nnj's own jars, nn-cuda's tests and the JUnit
# launcher; jdeps follows what their classes use through the other jars. Every jar goes on --class-path, not
# among the roots: a modular jar given as a root must have its module requirements met as modules, which fails
# on the class path's plain jars (progressbar's 'requires org.jline.terminal'). Classes left out on purpose
# (nn-plots, logback's optional Janino and mail support) are ignored. One class is not analysed: Jackson's
# Java7SupportImpl, the only user of java.desktop (java.beans' @Transient and @ConstructorProperties), which
# Jackson loads by name inside a catch-all and declares 'requires static java.desktop' for; java.desktop would
# cost about 10 MB. A jdeps failure stops the script: a guessed list would only show a missing module on the GPU
# machine.
class_path="$(printf '%s:' "$out"/lib/*.jar "$out"/junit-platform-console-standalone-*.jar)"
jdeps_log="$(mktemp)"
if ! modules_needed="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release "${java_major%%.*}" \
    --print-module-deps -q --class-path "${class_path%:}" \
    -include '^(?!com\.fasterxml\.jackson\.databind\.ext\.Java7SupportImpl$).*' \
    "$out"/lib/nn-*.jar "$out/test-classes" "$out"/junit-platform-console-standalone-*.jar 2>"$jdeps_log")" \
    || [[ -z "$modules_needed" ]]; then
  echo "jdeps could not list the modules the check needs:" >&2
  cat "$jdeps_log" >&2
  rm -f "$jdeps_log"
  exit 1
fi
rm -f "$jdeps_log"
# What jdeps cannot see, because nothing names it in a class file:
#   jdk.incubator.vector  run.sh starts Java with --add-modules jdk.incubator.vector (nn-cpu's fast path), which
#                         fails without it (jdeps finds it too, in nn-cpu);
#   jdk.zipfs             the JUnit launcher scans the jars for the selected package through the zip file system,
#                         a provider found by ServiceLoader;
#   jdk.unsupported       JLine (the digits step's progress bar) reaches sun.misc.Signal by reflection.
modules_needed="$(tr ',' '\n' <<<"$modules_needed,jdk.incubator.vector,jdk.zipfs,jdk.unsupported" | sort -u | paste -sd, -)"
compress="--compress=2"
[[ "${java_major%%.*}" -ge 21 ]] && compress="--compress=zip-6"
"$jlink" --add-modules "$modules_needed" --strip-debug --no-header-files --no-man-pages $compress \
  --output "$out/jre"

# The highest glibc symbol version the bundled native code needs: the GPU machine's glibc must be at least that,
# or the runtime does not start (run.sh prints the machine's). Skipped where neither objdump nor readelf exists.
if command -v objdump >/dev/null; then
  dynamic_symbols=(objdump -T)
elif command -v readelf >/dev/null; then
  dynamic_symbols=(readelf -W --dyn-syms)
else
  dynamic_symbols=()
fi
# highest_glibc DIR: "GLIBC_x.y file" for the file under DIR that needs the highest version; nothing when no file
# has one. Every file is tried; those that are not ELF are skipped by the tool's error.
highest_glibc() {
  local f
  find "$1" -type f | while IFS= read -r f; do
    "${dynamic_symbols[@]}" "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -n 1 \
      | sed "s|\$| ${f#"$1"/}|" || true
  done | sort -V | tail -n 1
}
if (( ${#dynamic_symbols[@]} > 0 )); then
  natives_dir="$(mktemp -d)"
  for natives in "$out"/lib/*-natives-*.jar; do
    (cd "$natives_dir" && "$JAVA_HOME/bin/jar" xf "$natives" lib)
  done
  runtime_glibc="$(highest_glibc "$out/jre")"
  natives_glibc="$(highest_glibc "$natives_dir")"
  rm -rf "$natives_dir"
  {
    echo "Java runtime: ${runtime_glibc:-no GLIBC version symbols found}"
    echo "JCuda natives: ${natives_glibc:-no GLIBC version symbols found}"
  } > "$out/glibc-needed.txt"
  echo "glibc needed (highest version symbol, the file that needs it):" >&2
  sed 's/^/  /' "$out/glibc-needed.txt" >&2
fi

# The runner's limit counts everything it copies: the repository's working tree (tracked files and the
# untracked ones git does not ignore) plus this folder. Inside a git checkout, the folder gets what the tree
# leaves; the folder itself is not counted twice when it lies in the tree unignored.
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
bundle_bytes="$(du -sb "$out" | cut -f1)"
tree_bytes=0
if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  pathspec=(.)
  [[ "$out/" == "$repo"/* ]] && pathspec+=(":(exclude)${out#"$repo"/}")
  tree_bytes="$(git -C "$repo" ls-files -z --cached --others --exclude-standard -- "${pathspec[@]}" \
    | (cd "$repo" && xargs -0 -r stat -c %s -- 2>/dev/null; true) | awk '{ s += $1 } END { print s + 0 }')"
  echo "size: folder $(mib "$bundle_bytes") MiB + repository working tree $(mib "$tree_bytes") MiB" \
    "(git ls-files) = $(mib $((bundle_bytes + tree_bytes))) MiB of $limit_mib MiB" >&2
else
  echo "size: folder $(mib "$bundle_bytes") MiB of $limit_mib MiB (not in a git checkout: nothing else counted)" >&2
fi
echo "prepared $out (runtime: Java $java_major with $modules_needed)" >&2
if (( bundle_bytes + tree_bytes > limit_mib * 1048576 )); then
  echo "over the limit of $limit_mib MiB by $(mib $((bundle_bytes + tree_bytes - limit_mib * 1048576))) MiB" >&2
  exit 1
fi
