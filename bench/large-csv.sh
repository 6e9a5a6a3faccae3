#!/usr/bin/env bash
# Large-CSV table: a user's own file through the trainer as a whole process, beside the same pipeline in
# PyTorch, in interleaved rounds (round r runs each command once):
#   - ./digits --csv FILE --label label --header --preset keras --hidden 128 --epochs EPOCHS
#     (read, stratified 80/20 split, min-max scaler, Dense 128 relu + softmax, Adam, batches of 32)
#   - bench/csv/mlp_torch.py: numpy's loadtxt, scikit-learn's split and scaler, the same network in PyTorch
# The file is synthetic and MNIST-sized by default (60,000 rows of a label and 784 integer "pixels", 172 MB, that is
# 164 MiB), written once by bench/csv/make_csv.py under the output directory. For each command: median, min and max
# wall time, median CPU (user + sys) and system time, median peak RSS (/usr/bin/time), and the ratio of medians.
#
# usage: bench/large-csv.sh [OUTPUT_DIR]      (default: bench-results/<date>)
# Settings (environment):
#   ROUNDS=3  ROWS=60000  FEATURES=784  EPOCHS=1  HIDDEN=128
#   THREADS=N            PyTorch's threads (default: all cores; nnj uses all cores)
#   PYTHON=/usr/bin/python3   needs numpy, scikit-learn and torch (the PyTorch row is skipped without them)
#   BASELINE=DIR         another checkout (built) whose ./digits runs in each round too: before and after a change
#   JAVA=/path/to/java   the JVM ./digits runs on (as its JAVA_HOME); on a machine with a GPU, ./digits runs with
#                        --backend cpu, the backend the PyTorch row competes with
# Output: <dir>/large-csv.md (the table), large-csv.tsv (every run), large-csv-<command>.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
nnj_output_dir_args "$@"
ROUNDS=${ROUNDS:-3}
ROWS=${ROWS:-60000}
FEATURES=${FEATURES:-784}
EPOCHS=${EPOCHS:-1}
HIDDEN=${HIDDEN:-128}
THREADS=${THREADS:-$(nproc)}
for setting in ROUNDS ROWS FEATURES EPOCHS HIDDEN THREADS; do
  nnj_require_count "$setting" "${!setting}"
done
PYTHON=${PYTHON:-/usr/bin/python3}
out=${NNJ_OUTPUT_ARG:-"$root/bench-results/$(date +%F)"}
mkdir -p "$out"
nnj_java_home_from_java   # ./digits runs on the JAVA given
cpu=$(nnj_cpu_backend_option)
cd "$root"
nnj_require_time large-csv
if ! "$PYTHON" -c "import numpy" 2>/dev/null; then
  echo "large-csv: $PYTHON has no numpy to write the file with (apt-get install -y python3-numpy)" >&2
  exit 1
fi
csv="$out/large-csv-${ROWS}x${FEATURES}.csv"
if [ ! -s "$csv" ]; then
  echo "== writing $csv"
  "$PYTHON" bench/csv/make_csv.py "$csv.tmp" "$ROWS" "$FEATURES" && mv "$csv.tmp" "$csv"
fi
# Builds the jar and its class-data archive if needed, so that no timed run includes a build.
./digits --help > /dev/null

names=(digits-csv)
declare -A cmd=(
  [digits-csv]="./digits --csv $csv --label label --header --preset keras --hidden $HIDDEN --epochs $EPOCHS --progress lines$cpu"
)
if [ -n "${BASELINE:-}" ]; then
  [ -x "$BASELINE/digits" ] || { echo "large-csv: BASELINE=$BASELINE has no ./digits" >&2; exit 2; }
  "$BASELINE/digits" --help > /dev/null
  names+=(baseline-csv)
  cmd[baseline-csv]="$BASELINE/digits ${cmd[digits-csv]#./digits }"
fi
if "$PYTHON" -c "import torch, sklearn" 2>/dev/null; then
  names+=(torch-csv)
  cmd[torch-csv]="$PYTHON bench/csv/mlp_torch.py $csv $EPOCHS $HIDDEN $THREADS"
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tsv="$out/large-csv.tsv"
nnj_timed_rounds "$out" large-csv "$ROUNDS" "${names[@]}"

# The file's size in decimal megabytes, as the docs give it (du -m's MiB, labelled MB, read 165 for 172 MB).
csv_mb=$(awk -v b="$(wc -c < "$csv")" 'BEGIN {printf "%.0f", b / 1e6}')
{
  echo "Large CSV, whole process: $(nnj_machine); load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Command: \`bench/large-csv.sh\` (ROUNDS=$ROUNDS, $ROWS rows x $FEATURES features, $csv_mb MB," \
    "EPOCHS=$EPOCHS, HIDDEN=$HIDDEN, THREADS=$THREADS); java: $(${JAVA_HOME:+$JAVA_HOME/bin/}java -version 2>&1 | head -n 1)"
  echo
  echo "| command | wall median (min-max) | CPU user+sys median | system median | peak RSS median | wall vs PyTorch |"
  echo "|---|---|---|---|---|---|"
  torch=$(nnj_tsv_column "$tsv" torch-csv 3 | nnj_median)
  for name in "${names[@]}"; do
    w=$(nnj_tsv_column "$tsv" "$name" 3 | nnj_median)
    ratio="-"
    if [ "$name" != torch-csv ] && [ "$torch" != nan ]; then
      ratio=$(awk -v x="$w" -v y="$torch" 'BEGIN {printf "%.2fx", x / y}')
    fi
    printf '| `%s` | %.2f s (%.2f-%.2f) | %.2f s | %.2f s | %.0f MiB | %s |\n' "${cmd[$name]//$out\//}" "$w" \
      "$(nnj_tsv_column "$tsv" "$name" 3 | sort -g | head -n 1)" "$(nnj_tsv_column "$tsv" "$name" 3 | sort -g | tail -n 1)" \
      "$(nnj_tsv_cpu "$tsv" "$name" | nnj_median)" "$(nnj_tsv_column "$tsv" "$name" 5 | nnj_median)" \
      "$(awk -v k="$(nnj_tsv_column "$tsv" "$name" 6 | nnj_median)" 'BEGIN {print k / 1024}')" "$ratio"
  done
  echo
  echo "nnj's epochs and test accuracy (last round): $(grep -E '^result:|^  test +loss' "$out/large-csv-digits-csv.log" | tr -s ' ' | tr '\n' ';')"
  if [ -f "$out/large-csv-torch-csv.log" ]; then
    echo "PyTorch (last round): $(tail -n 1 "$out/large-csv-torch-csv.log")"
  fi
} > "$out/large-csv.md"
cat "$out/large-csv.md"
echo "== wrote $out/large-csv.md"
