#!/usr/bin/env bash
# Cold-start table: whole processes as a user runs them, nnj beside the anchors, in interleaved rounds
# (round r runs every command once, so a change of machine load hits all of them alike):
#   - ./digits --preset article (the launcher: Vector API, serial GC, 32 MiB initial heap, class-data archive)
#   - the same jar with only --add-modules jdk.incubator.vector (what any program calling Trainer.fit gets),
#     and the same without the compiler directives the cpu backend adds on its own (-Dnnj.cpu.jitDirectives=false)
#   - the article's numpy program, 1000 epochs (bench/anchors/article_numpy.py)
#   - ./digits --preset keras, and the Keras-like PyTorch program, 1000 epochs of batch 32
# For each: median, min and max wall time, median CPU time (user + sys) and median peak RSS (/usr/bin/time);
# the ratio of medians to the anchor's; and the warm-up cost of the article run: its cold wall time minus
# the steady-state training time (the third run of the same training in one JVM, `--seeds 0,0,0`).
# Then hyperfine's own summary of the article pair, when hyperfine is installed (apt-get install hyperfine).
#
# usage: bench/cold-start.sh [OUTPUT_DIR]      (default: bench-results/<date>)
# Settings (environment):
#   ROUNDS=5             interleaved rounds
#   THREADS=N            threads of OpenBLAS / PyTorch (default: all cores; nnj uses all cores)
#   PYTHON=/usr/bin/python3   needs numpy, scikit-learn, torch (rows whose anchor is missing are skipped)
#   ALT_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64   adds the two ./digits rows on that JDK too
#   HYPERFINE=0          skips the hyperfine summary
#   On a machine with a GPU, every nnj row runs with --backend cpu: the anchors are CPU programs.
# Output: <dir>/cold-start.md (the table), cold-start.tsv (every run), cold-start-hyperfine.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
nnj_output_dir_args "$@"
ROUNDS=${ROUNDS:-5}
THREADS=${THREADS:-$(nproc)}
nnj_require_count ROUNDS "$ROUNDS"
nnj_require_count THREADS "$THREADS"
out=${NNJ_OUTPUT_ARG:-"$root/bench-results/$(date +%F)"}
mkdir -p "$out"
export THREADS
PYTHON=${PYTHON:-/usr/bin/python3}
export PYTHON
anchors="$root/bench/anchors"
jar="$root/nn-examples/target/nnj-digits.jar"
nnj_java_home_from_java   # so that both kinds of row run on the JAVA given
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
cpu=$(nnj_cpu_backend_option)
cd "$root"

nnj_require_time cold-start
# Builds the jar and its class-data archive if needed (the launcher does, for each JDK), so that no timed run
# includes a build.
./digits --help > /dev/null
if [ -n "${ALT_JAVA_HOME:-}" ]; then
  JAVA_HOME="$ALT_JAVA_HOME" ./digits --help > /dev/null
fi

anchor() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" \
    "$PYTHON" "$@"
}
has_python_module() {
  "$PYTHON" -c "import $1" 2>/dev/null
}

# name<TAB>command, in the order of the table; the anchor of a row is named after the tab in `pairs`.
names=(digits-article library-article library-article-no-directives digits-keras)
declare -A cmd=(
  [digits-article]="./digits --preset article$cpu"
  [library-article]="$java --add-modules jdk.incubator.vector -jar $jar --preset article$cpu"
  [library-article-no-directives]="$java --add-modules jdk.incubator.vector -Dnnj.cpu.jitDirectives=false -jar $jar --preset article$cpu"
  [digits-keras]="./digits --preset keras$cpu"
)
if [ -n "${ALT_JAVA_HOME:-}" ]; then
  names+=(alt-digits-article alt-digits-keras)
  cmd[alt-digits-article]="env JAVA_HOME=$ALT_JAVA_HOME ./digits --preset article$cpu"
  cmd[alt-digits-keras]="env JAVA_HOME=$ALT_JAVA_HOME ./digits --preset keras$cpu"
fi
if has_python_module sklearn; then
  names+=(numpy-article numpy-article-float32)
  cmd[numpy-article]="anchor $anchors/article_numpy.py 0 1000"
  # Not an anchor: the same program in float32, as nnj computes (numpy's default is float64), for reference.
  cmd[numpy-article-float32]="anchor $root/bench/variants/article_numpy_float32.py 0 1000"
fi
if has_python_module torch && has_python_module sklearn; then
  names+=(torch-keras)
  cmd[torch-keras]="anchor $anchors/keras_like_torch.py 0 1000 32 $THREADS"
fi
declare -A anchor_of=([digits-article]=numpy-article [library-article]=numpy-article
  [library-article-no-directives]=numpy-article
  [alt-digits-article]=numpy-article [digits-keras]=torch-keras [alt-digits-keras]=torch-keras)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tsv="$out/cold-start.tsv"
NNJ_TIMED_PRELUDE="$(declare -f anchor); " nnj_timed_rounds "$out" cold-start "$ROUNDS" "${names[@]}"

# Steady state: the third identical training in one JVM.
steady_log="$out/cold-start-steady.log"
./digits --preset article$cpu --seeds 0,0,0 > "$steady_log" 2>&1
steady=$(sed -n 's/.*result: [0-9]* epochs* in \([0-9.]*\) s.*/\1/p' "$steady_log" | tail -n 1)

# The interpreter as the table shows it: by its path, which a reader can copy (a bare python3 may be another one).
python_shown=$PYTHON
# Why there is no hyperfine summary, if there is none: said in the table's notes, as a missing anchor is.
no_hyperfine=""
if [ "${HYPERFINE:-1}" = 0 ]; then
  no_hyperfine="HYPERFINE=0 skips it"
elif ! command -v hyperfine > /dev/null; then
  no_hyperfine="hyperfine is not on the PATH (apt-get install -y hyperfine)"
elif [ -z "${cmd[numpy-article]:-}" ]; then
  no_hyperfine="the numpy anchor is missing"
fi

declare -A med
{
  echo "Cold start, whole process: $(nnj_machine); load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Command: \`bench/cold-start.sh\` (ROUNDS=$ROUNDS interleaved rounds, THREADS=$THREADS);" \
    "java: $("$java" -version 2>&1 | head -n 1); commit $(nnj_commit)"
  echo
  echo "| command | wall median (min-max) | CPU user+sys median | peak RSS median | wall vs anchor |"
  echo "|---|---|---|---|---|"
  for name in "${names[@]}"; do
    w=$(nnj_tsv_column "$tsv" "$name" 3 | nnj_median)
    med[$name]=$w
  done
  for name in "${names[@]}"; do
    w=${med[$name]}
    lo=$(nnj_tsv_column "$tsv" "$name" 3 | sort -g | head -n 1)
    hi=$(nnj_tsv_column "$tsv" "$name" 3 | sort -g | tail -n 1)
    c=$(nnj_tsv_cpu "$tsv" "$name" | nnj_median)
    rss=$(nnj_tsv_column "$tsv" "$name" 6 | nnj_median)
    a=${anchor_of[$name]:-}
    ratio="-"
    if [ -n "$a" ] && [ -n "${med[$a]:-}" ] && [ "${med[$a]}" != nan ]; then
      ratio=$(awk -v x="$w" -v y="${med[$a]}" 'BEGIN {printf "%.2fx %s", x / y, "'"$a"'"}')
    fi
    shown=${cmd[$name]//$root\//}
    # The anchors' prefix is this script's function (OpenBLAS settings, threads): shown as the interpreter it runs.
    shown=${shown/#anchor /$python_shown }
    printf '| `%s` | %.2f s (%.2f-%.2f) | %.2f s | %.0f MiB | %s |\n' "$shown" "$w" "$lo" "$hi" \
      "$c" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$ratio"
  done
  echo
  missing=()
  [ -n "${cmd[numpy-article]:-}" ] || missing+=("the numpy anchor")
  [ -n "${cmd[torch-keras]:-}" ] || missing+=("the PyTorch anchor")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Without ${missing[0]}${missing[1]:+ and ${missing[1]}}: $PYTHON lacks numpy, scikit-learn or torch" \
      "(apt-get install -y python3-sklearn python3-torch)."
    echo
  fi
  if [ -n "$no_hyperfine" ]; then
    echo "No hyperfine summary of the article pair: $no_hyperfine."
    echo
  fi
  if [ -n "${med[numpy-article-float32]:-}" ] && [ "${med[numpy-article-float32]}" != nan ]; then
    awk -v n="${med[digits-article]}" -v a="${med[numpy-article]}" -v f="${med[numpy-article-float32]}" 'BEGIN {
      printf "The anchor computes in float64, numpy'"'"'s default, as the article wrote it; nnj computes in float32. The same program in float32 (bench/variants/article_numpy_float32.py, not an anchor): %.2f s, the anchor %.2f s; ./digits --preset article %.2fx of it.\n\n", f, a, n / f }'
  fi
  if [ -n "$steady" ]; then
    awk -v cold="${med[digits-article]}" -v lib="${med[library-article]}" -v s="$steady" 'BEGIN {
      printf "Steady-state training of the article run (third run in one JVM): %.3f s. Warm-up cost (cold wall median minus that): ./digits %.2f s, plain java %.2f s.\n", s, cold - s, lib - s }'
  fi
} > "$out/cold-start.md"

if [ -z "$no_hyperfine" ]; then
  hyperfine --runs "$ROUNDS" --export-markdown "$out/cold-start-hyperfine.md" \
    -n digits-article "./digits --preset article$cpu" \
    -n numpy-article "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=$THREADS $PYTHON $anchors/article_numpy.py 0 1000" \
    > "$out/cold-start-hyperfine.log" 2>&1 || echo "!! hyperfine failed (see $out/cold-start-hyperfine.log)" >&2
fi
cat "$out/cold-start.md"
if [ -s "$out/cold-start-hyperfine.md" ] && [ "$out/cold-start-hyperfine.md" -nt "$out/cold-start.tsv" ]; then
  echo
  echo "hyperfine, the article pair:"
  cat "$out/cold-start-hyperfine.md"
  echo "== wrote $out/cold-start.md and $out/cold-start-hyperfine.md"
else
  echo "== wrote $out/cold-start.md"
fi
