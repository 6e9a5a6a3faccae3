# Shared by the scripts in bench/ (sourced, not run).
#
# Settings every script honours, all optional:
#   JAVA=/path/to/java     the JVM to run nnj with (default: $JAVA_HOME/bin/java, else java on the PATH);
#                          JMH's forks use the same JVM
#   NNJ_BENCH_NO_BUILD=1   use nn-bench/target/benchmarks.jar as it is, even if sources are newer

NNJ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Settings are checked before anything runs: a bad value would otherwise fail every program of a
# minutes-long run, one after the other. Exit status 2, as for a bad command line.
# nnj_require_count NAME VALUE: a whole number of at least 1.
nnj_require_count() {
  if ! [[ "$2" =~ ^[1-9][0-9]{0,6}$ ]]; then
    echo "${0##*/}: $1 must be a whole number of at least 1, got '$2'" >&2
    exit 2
  fi
}
# nnj_require_counts NAME VALUE: a comma-separated list of them (0 allowed, as for seeds, when $3 is 0).
nnj_require_counts() {
  local first='[1-9]'
  [ "${3:-1}" = 0 ] && first='[0-9]'
  if ! [[ "$2" =~ ^($first[0-9]{0,8})(,$first[0-9]{0,8})*$ ]]; then
    echo "${0##*/}: $1 must be a comma-separated list of whole numbers, e.g. ${4:-64,128}, got '$2'" >&2
    exit 2
  fi
}
# nnj_no_arguments ARGS...: for the scripts whose settings are all environment variables.
nnj_no_arguments() {
  if [ $# -gt 0 ]; then
    echo "${0##*/}: takes no arguments (got '$*'); its settings are environment variables: ${0##*/} --help" >&2
    exit 2
  fi
}
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
# Under NNJ_BENCH_NO_BUILD a jar older than the sources is used as it is, and NNJ_JAR_NOTE says so: nnj_commit, in
# every table's header, names the checkout's commit, which is then not the code the jar holds.
NNJ_JAR_NOTE=""
nnj_build_if_needed() {
  local newer=""
  if [ -f "$NNJ_JAR" ]; then
    newer=$(find "$NNJ_ROOT" \( -name .git -o -name target -o -name bench-results \) -prune -o \
      \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -type f -newer "$NNJ_JAR" -print -quit)
    [ -z "$newer" ] && return 0
    if [ -n "${NNJ_BENCH_NO_BUILD:-}" ]; then
      NNJ_JAR_NOTE="; benchmarks.jar predates ${newer#"$NNJ_ROOT"/} (not rebuilt: NNJ_BENCH_NO_BUILD)"
      NNJ_JAR_NOTE+=", so it may not hold this commit's code"
      echo "== $newer is newer than the jar; NNJ_BENCH_NO_BUILD: using the jar as it is" >&2
      return 0
    fi
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

# The argument parsing of a script whose only argument is its output directory: -h/--help prints the script's
# header comment, an option or a second argument is a usage error (exit 2). Sets NNJ_OUTPUT_ARG (empty: none).
nnj_output_dir_args() {
  local script=${0##*/}
  case "${1:-}" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "$script: unknown option '$1'; usage: bench/$script [OUTPUT_DIR] (see --help)" >&2; exit 2 ;;
  esac
  [ $# -le 1 ] || { echo "$script: one OUTPUT_DIR at most, got '$*' (see --help)" >&2; exit 2; }
  NNJ_OUTPUT_ARG=${1:-}
}

# --- Whole processes timed as a user runs them (cold-start.sh, large-csv.sh) ---

# nnj_require_time NAME: /usr/bin/time, which reports peak RSS, or exit 1.
nnj_require_time() {
  if [ ! -x /usr/bin/time ]; then
    echo "$1: /usr/bin/time is needed for peak RSS (apt-get install -y time)" >&2
    exit 1
  fi
}

# nnj_timed_rounds OUT PREFIX ROUNDS NAME...: ROUNDS interleaved rounds (round r runs every command once, so a
# change in machine load hits all of them alike) of the commands in the associative array `cmd`, each under
# /usr/bin/time in `bash -c "$NNJ_TIMED_PRELUDE<command>"` (a prelude may define functions the commands call).
# Each run's output goes to OUT/PREFIX-NAME.log, its wall, user and system seconds and peak RSS (KiB) to
# OUT/PREFIX.tsv.
nnj_timed_rounds() {
  local out=$1 prefix=$2 rounds=$3 r name log
  shift 3
  local tsv="$out/$prefix.tsv"
  printf 'command\tround\twall_s\tuser_s\tsys_s\tmax_rss_kib\n' > "$tsv"
  for ((r = 1; r <= rounds; r++)); do
    for name in "$@"; do
      log="$out/$prefix-$name.log"
      if /usr/bin/time -f '%e\t%U\t%S\t%M' -o "$out/.time" bash -c "${NNJ_TIMED_PRELUDE:-}${cmd[$name]}" \
          > "$log" 2>&1; then
        printf '%s\t%d\t%s\n' "$name" "$r" "$(tail -n 1 "$out/.time")" >> "$tsv"
        echo "round $r/$rounds  $name  $(tail -n 1 "$out/.time" | cut -f1) s"
      else
        echo "!! $name failed (see $log)" >&2
      fi
    done
  done
  rm -f "$out/.time"
}

# The median of the numbers on stdin, one per line; nan for none.
nnj_median() {
  sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

# nnj_tsv_column TSV NAME COLUMN: column COLUMN (1-based) of NAME's rows in a table nnj_timed_rounds wrote.
nnj_tsv_column() {
  awk -F'\t' -v n="$2" -v c="$3" 'NR > 1 && $1 == n {print $c}' "$1"
}

# nnj_tsv_cpu TSV NAME: user + system seconds of NAME's rows.
nnj_tsv_cpu() {
  awk -F'\t' -v n="$2" 'NR > 1 && $1 == n {print $4 + $5}' "$1"
}

# The processor: its model name, and its family, model and stepping numbers, which tell apart machines whose
# model name is the same ("AMD EPYC" on cloud machines of several generations), with the core generation where
# the numbers are ones we are sure of (nn-bench's Machine.java names the same): "AMD EPYC, family 26 model 2
# stepping 1 (Zen 5)".
nnj_cpu() {
  awk -F': *' '
    /^vendor_id/ && !v {v = $2} /^cpu family/ && !f {f = $2} /^model[[:space:]]*:/ && m == "" {m = $2}
    /^model name/ && !n {n = $2} /^stepping/ && s == "" {s = $2}
    END {
      gen["AuthenticAMD 23 1"] = "Zen"; gen["AuthenticAMD 23 49"] = "Zen 2"; gen["AuthenticAMD 25 1"] = "Zen 3"
      gen["AuthenticAMD 25 17"] = "Zen 4"; gen["AuthenticAMD 26 2"] = "Zen 5"
      out = n != "" ? n : "unknown processor"
      if (f != "") out = out ", family " f " model " m (s != "" ? " stepping " s : "")
      g = gen[v " " f " " m]
      print out (g != "" ? " (" g ")" : "")
    }' /proc/cpuinfo 2>/dev/null || echo "unknown processor"
}

# The time, the machine and its processor, as the tables' first lines give them.
nnj_machine() {
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) cores, $(nnj_cpu)"
}

# The commit of this checkout, short, with " with uncommitted changes" when the tree differs from it, and
# NNJ_JAR_NOTE where the benchmarks jar was not rebuilt from it; "?" outside a git checkout. Recorded in every
# table's header, so that a figure can be traced to the code that gave it.
nnj_commit() {
  local commit
  commit=$(git -C "$NNJ_ROOT" rev-parse --short HEAD 2>/dev/null) || { echo '?'; return 0; }
  git -C "$NNJ_ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit with uncommitted changes"
  echo "$commit$NNJ_JAR_NOTE"
}

# The whole-process scripts run ./digits, which takes its JVM from JAVA_HOME: a JAVA path (which every bench script
# honours) becomes that, as the JVM itself reports its home (a /usr/bin/java link resolves to the JDK it points at).
# A bare `java`, the default, leaves JAVA_HOME as it is.
nnj_java_home_from_java() {
  case "${JAVA:-}" in
    */*)
      JAVA_HOME=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
      export JAVA_HOME
      ;;
  esac
}

# The options that keep ./digits on the CPU where a GPU is present: these scripts compare CPU programs, and on a
# machine with a GPU ./digits would pick it ("the best available backend"). Nothing without one, so that the command
# is the one users run.
nnj_cpu_backend_option() {
  if command -v nvidia-smi > /dev/null 2>&1 && nvidia-smi -L > /dev/null 2>&1; then
    echo " --backend cpu"
  fi
}
