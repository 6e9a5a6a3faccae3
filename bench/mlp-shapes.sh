#!/usr/bin/env bash
# Training speed of multilayer perceptrons beyond the digits: nnj beside the same networks in PyTorch, in one
# session on one machine. Each case trains on 20,000 synthetic rows (nnj's dev.nnj.bench.MlpShapes and
# bench/mlp/mlp_torch.py: data drawn alike, the same network, optimizer and timing; each program's own generator and
# initial weights); epochs are timed after a warm-up, and the
# median is compared. PyTorch runs once per thread count in TORCH_THREADS and its fastest counts (on a small shared
# machine its 2-thread runs were up to 30 times slower than 1-thread ones). The first epoch's time, the JIT's
# warm-up for nnj, is shown beside each.
#
# usage: bench/mlp-shapes.sh [OUTPUT_DIR]      (default: bench-results/<date>)
# Settings (environment):
#   CASES="784-256-10 relu ce adam 128; ..."   cases, ';'-separated: SHAPE ACTIVATION ce|mse sgd|adam BATCH [ROWS]
#   ROWS=20000  WARM=3  MEASURE=5              rows per epoch (unless a case says), seconds of warm-up and timing
#   THREADS=N                                  nnj's cpu threads (default: all cores)
#   TORCH_THREADS=1,N                          PyTorch's thread counts to try (default: 1 and THREADS)
#   PYTHON=/usr/bin/python3                    needs torch and numpy: apt-get install -y python3-torch
#   JAVA, NNJ_BENCH_NO_BUILD                   as for run-benchmarks.sh
# Takes about (WARM + MEASURE + a few) seconds per case and program: some 3 minutes for the default cases.
#
# Output: OUTPUT_DIR/mlp-shapes.md, and each program's line in mlp-shapes.log.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
nnj_output_dir_args "$@"

THREADS=${THREADS:-$(nproc)}
TORCH_THREADS=${TORCH_THREADS:-$( [ "$THREADS" = 1 ] && echo 1 || echo "1,$THREADS")}
ROWS=${ROWS:-20000}
WARM=${WARM:-3}
MEASURE=${MEASURE:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
CASES=${CASES:-"64-64-10 relu ce adam 32; 784-256-10 relu ce adam 128; 784-512-512-10 relu ce sgd 32; \
32-1024-1 tanh mse adam 128; 1000-100-2 sigmoid ce sgd 1024; 784-256-10 relu ce adam 1 2000"}
nnj_require_count THREADS "$THREADS"
nnj_require_counts TORCH_THREADS "$TORCH_THREADS" 1 1,2
nnj_require_count ROWS "$ROWS"
for s in WARM MEASURE; do
  [[ "${!s}" =~ ^[0-9]+$ ]] || { echo "${0##*/}: $s must be whole seconds, got '${!s}'" >&2; exit 2; }
done
"$PYTHON" -c 'import torch, numpy' 2>/dev/null || {
  echo "${0##*/}: $PYTHON cannot import torch and numpy (apt-get install -y python3-torch)" >&2; exit 1; }

nnj_build_if_needed
out=${NNJ_OUTPUT_ARG:-$(nnj_results_dir)}
mkdir -p "$out"
log="$out/mlp-shapes.log"
: > "$log"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# value KEY LINE: the value of key=value in a program's line.
value() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }
# measured WHAT COMMAND...: the program's 'mlp ...' line; a program that fails or prints none stops the run, its
# output shown and the case named (a bare exit under set -e said nothing).
measured() {
  local what=$1 output line
  shift
  if ! output=$("$@" 2>&1) || ! line=$(grep '^mlp ' <<< "$output"); then
    echo "${0##*/}: $what failed on the case '$case':" >&2
    echo "$output" | tail -n 20 >&2
    exit 1
  fi
  echo "$line"
}

rows_md=()
IFS=';' read -ra cases <<< "$CASES"
for case in "${cases[@]}"; do
  read -r shape activation loss optimizer batch rows extra <<< "$case"
  if [ -z "${batch:-}" ] || [ -n "${extra:-}" ]; then
    echo "${0##*/}: a case is 'SHAPE ACTIVATION ce|mse sgd|adam BATCH [ROWS]', got '$case'" >&2; exit 2
  fi
  rows=${rows:-$ROWS}
  echo "== $shape $activation $loss $optimizer, batch $batch, $rows rows" >&2
  nnj=$(measured nnj nnj_java -Dnnj.cpu.threads="$THREADS" -XX:+UseSerialGC -cp "$NNJ_JAR" dev.nnj.bench.MlpShapes \
    "$shape" "$activation" "$loss" "$optimizer" "$batch" "$rows" "$WARM" "$MEASURE")
  echo "$nnj" | tee -a "$log" >&2
  best=""
  IFS=',' read -ra counts <<< "$TORCH_THREADS"
  for t in "${counts[@]}"; do
    torch=$(measured PyTorch "$PYTHON" "$NNJ_ROOT/bench/mlp/mlp_torch.py" "$shape" "$activation" "$loss" \
      "$optimizer" "$batch" "$rows" "$WARM" "$MEASURE" "$t")
    echo "$torch" | tee -a "$log" >&2
    if [ -z "$best" ] || awk -v a="$(value median_epoch_ms "$torch")" -v b="$(value median_epoch_ms "$best")" \
        'BEGIN { exit !(a < b) }'; then
      best=$torch
    fi
  done
  n_ms=$(value median_epoch_ms "$nnj")
  t_ms=$(value median_epoch_ms "$best")
  rows_md+=("$(printf '| %s %s, %s, %s, batch %s, %s rows | %s (%s) | %s on %s thread(s) (%s) | %sx |' \
    "$shape" "$activation" "$loss" "$optimizer" "$batch" "$rows" "$n_ms" "$(value first_epoch_ms "$nnj")" \
    "$t_ms" "$(value threads "$best")" "$(value first_epoch_ms "$best")" \
    "$(awk -v n="$n_ms" -v t="$t_ms" 'BEGIN { printf "%.2f", t / n }')")")
done

{
  echo "MLP shapes, training speed: $(nnj_machine); load average before: $load_before, after:" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  torch_version=$("$PYTHON" -c 'import torch; print(torch.__version__)')
  echo "Command: \`bench/mlp-shapes.sh\` (THREADS=$THREADS, TORCH_THREADS=$TORCH_THREADS, WARM=$WARM," \
    "MEASURE=$MEASURE); java: $("$JAVA" -version 2>&1 | head -n 1); torch $torch_version; commit $(nnj_commit)"
  echo
  echo "| case | nnj: median ms/epoch (first epoch) | PyTorch: median ms/epoch, fastest threads (first epoch) |" \
    "nnj speed vs PyTorch |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows_md[@]}"
} > "$out/mlp-shapes.md"
cat "$out/mlp-shapes.md"
echo "== wrote $out/mlp-shapes.md" >&2
