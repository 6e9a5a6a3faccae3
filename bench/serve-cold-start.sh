#!/usr/bin/env bash
# Serving table: a service's cold start as whole processes, nnj beside numpy and PyTorch, in interleaved rounds
# (round r runs each command once). Each process loads a digits model saved by `./digits --save` (Dense 64 relu +
# Dense 10 softmax, the keras preset, with its min-max scaler), then predicts one row per call, CALLS calls:
#   - nnj: ServeColdStart from the benchmarks jar, with only --add-modules jdk.incubator.vector (what a service
#     gets), and once more without the Vector API (-Dnnj.cpu.vector=false: the plain-Java kernels throughout)
#   - bench/serve/serve_python.py numpy|torch: the same file, scaler and network, one row per call
# For each: the median, min and max wall time of the whole process and its median peak RSS (/usr/bin/time), and
# the medians over the rounds of what the program reports: time to a loaded model, the first call, the first
# thousand calls together (and, for nnj, the bytes they allocated), the median of the last thousand calls (warm),
# and the predicted classes summed over all calls (equal sums: the programs answered alike). "Model loaded" counts
# from the program's start: for nnj from main (the JVM's own start, about 0.1 s, is in the wall time), for Python
# its imports included.
#
# usage: bench/serve-cold-start.sh [OUTPUT_DIR]      (default: bench-results/<date>)
# Settings (environment):
#   ROUNDS=5  CALLS=20000
#   THREADS=1            numpy's and PyTorch's threads (a service's one-row call uses one)
#   PYTHON=/usr/bin/python3   needs numpy (and torch for its row; rows whose module is missing are skipped)
#   BASELINE=DIR         another built checkout (mvn package): its nn-api and nn-cpu jars go first on the class path
#                        of one more nnj row, for before-and-after tables
# Output: <dir>/serve-cold-start.md (the table), serve-cold-start.tsv (every run), serve-cold-start-<command>.lines
# (each run's report line).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/lib.sh"
nnj_output_dir_args "$@"
ROUNDS=${ROUNDS:-5}
CALLS=${CALLS:-20000}
THREADS=${THREADS:-1}
for setting in ROUNDS CALLS THREADS; do
  nnj_require_count "$setting" "${!setting}"
done
if [ "$CALLS" -lt 2000 ]; then
  echo "${0##*/}: CALLS must be at least 2000 (the first and the last thousand calls are reported), got $CALLS" >&2
  exit 2
fi
PYTHON=${PYTHON:-/usr/bin/python3}
out=${NNJ_OUTPUT_ARG:-"$root/bench-results/$(date +%F)"}
mkdir -p "$out"
cd "$root"
nnj_require_time serve-cold-start
nnj_build_if_needed

model="$out/serve-digits.safetensors"
rows="$out/serve-digits-rows.csv"
if [ ! -s "$model" ]; then
  echo "== training the model: ./digits --preset keras --save $model"
  ./digits --preset keras$(nnj_cpu_backend_option) --save "$model" > "$out/serve-train.log" 2>&1 || {
    echo "serve-cold-start: training failed, see $out/serve-train.log" >&2
    exit 1
  }
fi
# The 1797 digits' 64 pixels and their label, as nnj bundles them.
gzip -dc nn-api/src/main/resources/dev/nnj/api/data/digits/digits.csv.gz > "$rows"

# The cpu backend named, as Backends.best() would take a GPU where there is one: the anchors are CPU programs.
names=(nnj nnj-no-vector-api)
declare -A cmd=(
  [nnj]="$JAVA --add-modules jdk.incubator.vector -Dnnj.backend=cpu -cp $NNJ_JAR dev.nnj.bench.ServeColdStart $model $rows $CALLS"
  [nnj-no-vector-api]="$JAVA -Dnnj.cpu.vector=false -Dnnj.backend=cpu -cp $NNJ_JAR dev.nnj.bench.ServeColdStart $model $rows $CALLS"
)
if [ -n "${BASELINE:-}" ]; then
  baseline_jars=$(ls "$BASELINE"/nn-api/target/nn-api-*[0-9T].jar "$BASELINE"/nn-cpu/target/nn-cpu-*[0-9T].jar 2>/dev/null | tr '\n' ':')
  if [ "$(echo "$baseline_jars" | tr ':' '\n' | grep -c .)" != 2 ]; then
    echo "serve-cold-start: BASELINE=$BASELINE has no built nn-api and nn-cpu jars (mvn package there first)" >&2
    exit 2
  fi
  names+=(nnj-baseline)
  cmd[nnj-baseline]="$JAVA --add-modules jdk.incubator.vector -Dnnj.backend=cpu -cp $baseline_jars$NNJ_JAR dev.nnj.bench.ServeColdStart $model $rows $CALLS"
fi
for framework in numpy torch; do
  if "$PYTHON" -c "import $framework" 2>/dev/null; then
    names+=("$framework")
    cmd[$framework]="$PYTHON bench/serve/serve_python.py $framework $model $rows $CALLS $THREADS"
  else
    echo "serve-cold-start: $PYTHON has no $framework, its row is skipped" >&2
  fi
done
for name in "${names[@]}"; do
  : > "$out/serve-cold-start-$name.lines"
  cmd[$name]="${cmd[$name]} | grep '^serve ' >> $out/serve-cold-start-$name.lines"
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
tsv="$out/serve-cold-start.tsv"
nnj_timed_rounds "$out" serve-cold-start "$ROUNDS" "${names[@]}"

# field NAME KEY: the median over NAME's report lines of KEY's value; "-" when it reports none.
field() {
  local values
  values=$(grep -o " $2=[0-9.]*" "$out/serve-cold-start-$1.lines" | cut -d= -f2 || true)
  if [ -z "$values" ]; then echo "-"; else echo "$values" | nnj_median; fi
}
{
  echo "Serving cold start, whole process: $(nnj_machine); load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Command: \`bench/serve-cold-start.sh\` (ROUNDS=$ROUNDS, CALLS=$CALLS one-row predictions, THREADS=$THREADS);" \
    "java: $("$JAVA" -version 2>&1 | head -n 1); commit $(nnj_commit)"
  echo
  echo "| program | wall median (min-max) | peak RSS median | model loaded | first call | first 1,000 calls | allocated by them | warm call (median) | classes summed |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for name in "${names[@]}"; do
    printf '| %s | %.2f s (%.2f-%.2f) | %.0f MiB | %s ms | %s µs | %s ms | %s | %s µs | %s |\n' "$name" \
      "$(nnj_tsv_column "$tsv" "$name" 3 | nnj_median)" \
      "$(nnj_tsv_column "$tsv" "$name" 3 | sort -g | head -n 1)" "$(nnj_tsv_column "$tsv" "$name" 3 | sort -g | tail -n 1)" \
      "$(awk -v k="$(nnj_tsv_column "$tsv" "$name" 6 | nnj_median)" 'BEGIN {print k / 1024}')" \
      "$(field "$name" load_ms)" "$(field "$name" first_call_us)" "$(field "$name" first_1000_ms)" \
      "$(a=$(field "$name" first_1000_alloc_mb); [ "$a" = - ] && echo - || echo "$a MB")" \
      "$(field "$name" warm_median_us)" "$(field "$name" classes_sum)"
  done
  echo
  echo "nnj's kernels: $(grep -o 'kernels="[^"]*"' "$out/serve-cold-start-nnj.lines" | head -n 1 | cut -d'"' -f2)." \
    "Its time to a loaded model (medians): rows read with nnj's CSV reader $(field nnj rows_ms) ms (with the first" \
    "SLF4J call, which starts logback), backend $(field nnj backend_ms) ms, model file $(field nnj model_ms) ms."
} > "$out/serve-cold-start.md"
cat "$out/serve-cold-start.md"
echo "== wrote $out/serve-cold-start.md"
