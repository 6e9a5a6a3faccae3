#!/usr/bin/env bash
# Runs nnj's JMH benchmarks on every available backend and writes the results as JMH JSON and as Markdown
# tables (with GFLOP/s for the GEMM and Dense products, steps/s, and allocation per operation).
#
# usage: bench/run-benchmarks.sh [quick|full] [more JMH options or benchmark regexps]
#   quick  1 fork, 3 warm-up + 2 measured iterations of 1 s, GEMM n = 64, 256, 1024 and three Dense
#          shapes: a few minutes on 2 cores, for checking that everything runs. Not for publishing: the
#          mlp-b256 training step (about 20 ms on 2 cores) is still partly interpreted after 3 s, and shows
#          24.6 ms and 253 KB per step where 12 s of warm-up gives 18.1 ms and 108 B.
#   full   (default) 2 forks, 5 warm-up + 5 measured iterations of 1 s, every size: about 20 minutes per
#          backend on 2 cores. Run it on an otherwise idle machine.
#   Both run with -prof gc, so the allocation per operation (the zero-allocation check) is in the tables.
#   JMH options after the mode replace the mode's own (-f, -wi, -w, -i, -r, -p NAME=...).
#   Examples:
#     bench/run-benchmarks.sh quick
#     bench/run-benchmarks.sh full
#     bench/run-benchmarks.sh full Gemm                         only the GEMM benchmark
#     bench/run-benchmarks.sh full TrainingStep -p model=mlp-b1024
#     bench/run-benchmarks.sh quick Epoch -i 5                    quick, with 5 measured iterations
#
# Settings (environment):
#   BACKENDS=cpu,cuda     backends to run (default: every available one; unavailable ones are listed with
#                         their reason and skipped)
#   THREADS=N             worker threads of the cpu backend (-Dnnj.cpu.threads; default: all cores)
#   JAVA=/path/to/java    JVM for the run and its forks, e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#   NNJ_BENCH_NO_BUILD=1  do not rebuild nn-bench/target/benchmarks.jar even if sources are newer
#
# Output: bench-results/<date>/jmh-<mode>-<time>.json (JMH's results), .md (the tables), .log (console).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

mode=full
case "${1:-}" in
  quick|full) mode=$1; shift ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac

if [ -n "${THREADS:-}" ]; then nnj_require_count THREADS "$THREADS"; fi
nnj_build_if_needed
available=$(nnj_java -cp "$NNJ_JAR" dev.nnj.bench.AvailableBackends)
if [ -z "${BACKENDS:-}" ]; then
  BACKENDS=$available
else
  for b in ${BACKENDS//,/ }; do
    if [[ ",$available," != *",$b,"* ]]; then
      echo "run-benchmarks.sh: BACKENDS names '$b', which cannot run here; available: $available" \
        "($(command -v "$JAVA") --add-modules jdk.incubator.vector -cp $NNJ_JAR dev.nnj.bench.AvailableBackends" \
        "says why the others cannot)" >&2
      exit 2
    fi
  done
fi
out=$(nnj_results_dir)
# One set of files per run, so that a partial run never overwrites a whole one.
name="jmh-$mode-$(date +%H%M%S)"
json="$out/$name.json"

# Defaults of the mode; an option given on the command line replaces the default of the same name (JMH
# refuses an option twice), and -p NAME=... replaces the default list of that parameter.
user=("$@")
given() {   # given OPTION [VALUE-PREFIX]: the command line has OPTION (followed by a value starting so)
  local i
  for ((i = 0; i < ${#user[@]}; i++)); do
    if [ "${user[i]}" = "$1" ] && { [ -z "${2:-}" ] || [[ "${user[i + 1]:-}" == "$2"* ]]; }; then return 0; fi
  done
  return 1
}
jmh=(-jvm "$(command -v "$JAVA")" -rf json -rff "$json")
default() { given "$1" || jmh+=("$1" "$2"); }
param() { given -p "${1%%=*}=" || jmh+=(-p "$1"); }
param "backend=$BACKENDS"
given -prof gc || jmh+=(-prof gc)
# A benchmark that fails (a backend that cannot run here) makes the run fail, not exit 0 after a stack trace.
given -foe || jmh+=(-foe true)
if [ "$mode" = quick ]; then
  # Three warm-up seconds: with one, a busy 2-core machine measured a training step at 64,876 µs and 4.7 MB
  # before C2 had compiled it (14.8 µs and 0 B once it had).
  default -f 1; default -wi 3; default -w 1s; default -i 2; default -r 1s
  param n=64,256,1024
  param shape=32x64x64,1437x64x64,256x1024x1024
else
  default -f 2; default -wi 5; default -w 1s; default -i 5; default -r 1s
fi
threads_flag=()
if [ -n "${THREADS:-}" ]; then
  threads_flag=("-Dnnj.cpu.threads=$THREADS")
  # Prepend: the @Fork annotations' own flags (--add-modules ...) are appended and stay; -jvmArgsAppend
  # would replace them.
  jmh+=(-jvmArgsPrepend "-Dnnj.cpu.threads=$THREADS")
fi
# What each backend reports about itself (kernels, threads, device), for the report's header.
described=$(nnj_java "${threads_flag[@]}" -cp "$NNJ_JAR" dev.nnj.bench.AvailableBackends --describe 2>/dev/null || true)

command="bench/run-benchmarks.sh $mode${*:+ $*}"
[ -n "${THREADS:-}" ] && command="THREADS=$THREADS $command"
echo "== $command"
echo "== backends: $BACKENDS; java: $("$JAVA" -version 2>&1 | head -1); results: $out"
# Not stopped by set -e: a JMH that exits non-zero (a failed benchmark, a pattern that matches none) still gets
# the message below.
jmh_status=0
"$JAVA" -jar "$NNJ_JAR" "${jmh[@]}" "$@" 2>&1 | tee "$out/$name.log" || jmh_status=$?

# A run whose every benchmark failed (a setup error in each fork) still leaves a JSON file, holding "[ ]".
if [ ! -s "$json" ] || ! grep -q '"benchmark"' "$json"; then
  rm -f "$json"
  echo "JMH wrote no results (exit status $jmh_status): every benchmark failed, or none matched" \
    "${*:-the benchmarks of the mode} (the modes are quick and full; see $out/$name.log)" >&2
  exit 1
fi
# The commit the jar was built from, "-dirty" when the tree had changes (nothing outside a git checkout), and
# NNJ_JAR_NOTE where NNJ_BENCH_NO_BUILD kept a jar older than the sources.
commit=$(git -C "$NNJ_ROOT" describe --always --dirty 2>/dev/null || true)
commit=${commit:+$commit$NNJ_JAR_NOTE}
# --same-run: the conversion follows the run on this machine, so its machine and load average are the run's.
"$JAVA" -cp "$NNJ_JAR" dev.nnj.bench.Report "$json" "$out/$name.md" --same-run --command "$command" \
  --title "nnj benchmark results ($mode run)" --backends "$described" ${commit:+--commit "$commit"}
cat "$out/$name.md"
echo
echo "== wrote $json, $out/$name.md and $out/$name.log"
if [ "$jmh_status" -ne 0 ]; then
  echo "JMH exited with status $jmh_status: a benchmark failed (see $out/$name.log); the tables hold those that ran" >&2
  exit "$jmh_status"
fi
