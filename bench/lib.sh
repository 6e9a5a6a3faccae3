# Shared by the scripts in bench/ (sourced, not run).
#
# Settings every script honours, all optional:
#   JAVA=/path/to/java     the JVM to run nnj with (default: $JAVA_HOME/bin/java, else java on the PATH);
#                          JMH's forks use the same JVM
#   NNJ_BENCH_NO_BUILD=1   use nn-bench/target/benchmarks.jar as it is, even if sources are newer

NNJ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NNJ_JAR="$NNJ_ROOT/nn-bench/target/benchmarks.jar"
if [ -z "${JAVA:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
fi
java_version=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
if [ -z "$java_version" ]; then
  echo "no usable java ($JAVA); install JDK 17 or newer, or set JAVA or JAVA_HOME" >&2
  exit 1
elif [ "$java_version" -lt 17 ]; then
  echo "$JAVA is Java $java_version; nnj needs Java 17 or newer (set JAVA or JAVA_HOME)" >&2
  exit 1
fi
# The flags the benchmark forks get from @Fork, for the JVMs the scripts start themselves: the Vector API
# fast path of nn-cpu, and quiet native access for JCuda on JDK 22+ (JDK 17 ignores that one).
NNJ_JAVA_FLAGS=(--add-modules jdk.incubator.vector -XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED)

# Builds the benchmarks jar when it is missing or older than any source, pom or resource of the reactor.
nnj_build_if_needed() {
  if [ -f "$NNJ_JAR" ] && [ -n "${NNJ_BENCH_NO_BUILD:-}" ]; then
    return 0
  fi
  local newer=""
  if [ -f "$NNJ_JAR" ]; then
    newer=$(find "$NNJ_ROOT" \( -name .git -o -name target -o -name bench-results \) -prune -o \
      \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -type f -newer "$NNJ_JAR" -print -quit)
    [ -z "$newer" ] && return 0
    echo "== $newer is newer than the jar: rebuilding" >&2
  fi
  echo "== Building $NNJ_JAR: mvn -B -q -pl nn-bench -am package -DskipTests" >&2
  (cd "$NNJ_ROOT" && mvn -B -q -pl nn-bench -am package -DskipTests) >&2
}

# java with the benchmark flags.
nnj_java() {
  "$JAVA" "${NNJ_JAVA_FLAGS[@]}" "$@"
}

# bench-results/<date>, created.
nnj_results_dir() {
  local dir="$NNJ_ROOT/bench-results/$(date +%F)"
  mkdir -p "$dir"
  echo "$dir"
}
