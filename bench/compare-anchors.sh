#!/usr/bin/env bash
# Measures nnj beside the programs a user would otherwise reach for, in one session on one machine, and
# writes the ratios (nnj speed / anchor speed) with the targets as a Markdown table:
#   - GEMM GFLOP/s, n = 64 … 2048: nnj's GemmHarness vs numpy/OpenBLAS sgemm (bench/anchors/sgemm_numpy.py)
#     target: nnj >= 1.0x OpenBLAS at n = 64-128, >= 0.9x at n = 256-2048
#   - digits `article` preset, 1000 epochs, seeds 0-2: nnj's DigitsRun vs the article's numpy code
#     (bench/anchors/article_numpy.py); target: nnj >= 8x faster; test accuracy beside
#   - digits `keras` preset, 1000 epochs of batch 32, seed 0: nnj vs Keras-like PyTorch
#     (bench/anchors/keras_like_torch.py); target: nnj >= 10x faster; test accuracy beside
#   - cold start: whole processes from a cold JVM in interleaved rounds, with peak RSS (bench/cold-start.sh,
#     its own table in cold-start.md); targets: ./digits --preset article <= 0.25x the numpy program's wall
#     time with <= 0.5 s warm-up cost, keras <= 0.1x the PyTorch program, peak RSS <= 200 MiB
# Everything uses the same number of threads. Takes about 2 minutes plus nnj's own training time, plus
# about 5 rounds of the cold-start programs (COLD_START=0 skips them).
#
# usage: bench/compare-anchors.sh
# Settings (environment):
#   THREADS=N            threads for OpenBLAS, PyTorch and the nnj cpu backend (default: all cores)
#   EPOCHS=1000          epochs of both digits runs (fewer for a quick check; ratios are then per epoch)
#   ARTICLE_SEEDS=0,1,2  seeds of the article runs;  KERAS_SEEDS=0  seeds of the keras runs
#   GEMM_SIZES=64,128,256,512,1024,2048   sizes for nnj's GEMM (numpy's script always runs all six)
#   GEMM_ROUNDS=2        alternating runs of each GEMM program; each size's best run counts
#   BACKEND=cpu          nnj backend (default: cpu, the one the anchors compete with)
#   PYTHON=/usr/bin/python3  needs numpy, scikit-learn, torch:
#                        apt-get install -y python3-numpy python3-sklearn python3-torch
#   JAVA, NNJ_BENCH_NO_BUILD  as for run-benchmarks.sh
# The environment of this machine may set OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which slow numpy down;
# the anchors run with both unset (in their own command only), and the OpenBLAS kernel they get is printed.
#
# Output: bench-results/<date>/comparison.md, plus each program's raw output (*.log) and environment.md; a run in
# which a program failed or an anchor is missing (its Python modules) writes comparison-partial.md instead, which
# lists them under "Not measured because", leaving an earlier comparison.md as it was, and exits 1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac
nnj_no_arguments "$@"

THREADS=${THREADS:-$(nproc)}
EPOCHS=${EPOCHS:-1000}
ARTICLE_SEEDS=${ARTICLE_SEEDS:-0,1,2}
KERAS_SEEDS=${KERAS_SEEDS:-0}
GEMM_SIZES=${GEMM_SIZES:-64,128,256,512,1024,2048}
GEMM_ROUNDS=${GEMM_ROUNDS:-2}
nnj_require_count GEMM_ROUNDS "$GEMM_ROUNDS"
nnj_require_count THREADS "$THREADS"
nnj_require_count EPOCHS "$EPOCHS"
nnj_require_counts ARTICLE_SEEDS "$ARTICLE_SEEDS" 0 0,1,2
nnj_require_counts KERAS_SEEDS "$KERAS_SEEDS" 0 0
nnj_require_counts GEMM_SIZES "$GEMM_SIZES" 1 64,128
BACKEND=${BACKEND:-cpu}
PYTHON=${PYTHON:-/usr/bin/python3}
anchors="$NNJ_ROOT/bench/anchors"

nnj_build_if_needed
# Before anything runs or is rewritten: a backend that cannot run here would fail every nnj program in turn.
available=$(nnj_java -cp "$NNJ_JAR" dev.nnj.bench.AvailableBackends)
if [[ ",$available," != *",$BACKEND,"* ]]; then
  echo "compare-anchors.sh: BACKEND=$BACKEND cannot run here; available: $available ($(command -v "$JAVA")" \
    "--add-modules jdk.incubator.vector -cp $NNJ_JAR dev.nnj.bench.AvailableBackends says why)" >&2
  exit 2
fi
out=$(nnj_results_dir)
cd "$NNJ_ROOT"
echo "== results in $out (threads: $THREADS, epochs: $EPOCHS)"

# The anchors' command prefix: OpenBLAS tuning variables of this environment unset, thread count fixed.
anchor() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" \
    "$PYTHON" "$@"
}
nnj() {
  nnj_java "-Dnnj.cpu.threads=$THREADS" -cp "$NNJ_JAR" "$@"
}
has_python_module() {
  "$PYTHON" -c "import $1" 2>/dev/null
}
# anchor_needs WHAT MODULE...: true when the modules import; else the anchor is reported missing (no_anchor), naming
# the modules and their packages. scikit-learn fails to import only because numpy does when numpy is missing, so
# it is numpy that is named then: installing scikit-learn would not help.
anchor_needs() {
  local what=$1 m name names=() packages=()
  shift
  for m in "$@"; do
    if [ "$m" = sklearn ] && ! has_python_module numpy; then m=numpy; fi
    name=${m/sklearn/scikit-learn}
    if [[ " ${names[*]-} " == *" $name "* ]] || has_python_module "$m"; then continue; fi
    names+=("$name")
    packages+=("python3-$m")
  done
  case ${#names[@]} in
    0) return 0 ;;
    1) name=${names[0]} ;;
    2) name="${names[0]} and ${names[1]}" ;;
    *) name="${names[0]}, ${names[1]} and ${names[2]}" ;;
  esac
  no_anchor "$name missing: no $what (apt-get install -y ${packages[*]})"
  return 1
}
# What failed or was missing, one line each, for the partial report's "Not measured because" section: its tables
# say only "not measured", as they do for a GEMM size not asked for.
reasons=()
# run [-a] LOG CMD...: runs a command, showing and saving its output (-a: appended to LOG, as for one seed of
# several); a failure is reported and counted, and the script goes on to the others, then exits 1 (the comparison
# lacks that row).
failed=0
run() {
  local append=() status=0
  if [ "$1" = -a ]; then append=(-a); shift; fi
  local log="$out/$1"; shift
  echo "== $*"
  "$@" 2>&1 | tee ${append[@]+"${append[@]}"} "$log" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "!! failed: $* (see $log)" >&2
    failed=$((failed + 1))
    reasons+=("\`${*//$NNJ_ROOT\//}\` failed with exit status $status (its output: ${log##*/})")
  fi
}
# An anchor that cannot run here (its Python modules missing) leaves its row empty: reported in one line, and the
# run counts as partial, as for a failure, so that an all-"–" table never passes for a whole comparison.
missing=0
no_anchor() {
  echo "!! $*" >&2
  missing=$((missing + 1))
  reasons+=("$*")
}
rm -f "$out"/{numpy-sgemm,nnj-gemm,numpy-article,nnj-article,torch-keras,nnj-keras}.log

{
  echo "Environment:"
  echo
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(nnj_commit)"
  echo "- Machine: $(uname -m), $(nproc) cores, $(nnj_cpu)"
  echo "- Threads: $THREADS (OPENBLAS_NUM_THREADS, torch.set_num_threads, -Dnnj.cpu.threads); epochs $EPOCHS"
  echo "- nnj: $("$JAVA" -version 2>&1 | head -1), flags \`${NNJ_JAVA_FLAGS[*]}\`, backend $BACKEND"
  echo "- Python: $("$PYTHON" --version 2>&1) ($PYTHON); anchors run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (here: '${OPENBLAS_CORETYPE:-unset}', '${OPENBLAS_L2_SIZE:-unset}')"
  # stderr hidden, as for torch below: a missing numpy is said in one line here and one "!!" line further on.
  anchor - <<'PY' 2>/dev/null || echo "- numpy: not importable ($PYTHON)"
import numpy
a = numpy.ones((64, 64), numpy.float32); a @ a   # load BLAS
try:
    from threadpoolctl import threadpool_info
    for p in threadpool_info():
        print("- %s %s: %s, architecture %s, %s threads, %s" % (p.get("internal_api"), p.get("version"),
              p.get("filepath"), p.get("architecture"), p.get("num_threads"), p.get("threading_layer")))
except ImportError:
    import io, contextlib
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        numpy.show_config()
    print("- numpy.show_config():\n\n```\n" + buf.getvalue().strip() + "\n```")
print("- numpy %s" % numpy.__version__)
PY
  anchor - <<'PY' 2>/dev/null || echo "- torch: not importable ($PYTHON)"
import torch
info = [l.strip() for l in torch.__config__.parallel_info().splitlines() if "parallel backend" in l]
print("- torch %s, %d threads by default, %s" % (torch.__version__, torch.get_num_threads(),
      info[0] if info else "parallel backend unknown"))
PY
} > "$out/environment.md"
cat "$out/environment.md"

# GEMM: the two sides alternate, GEMM_ROUNDS runs each, and each size's best counts: on a shared machine one run can
# land a size in a slow second for one side alone (n = 512 at 110 GFLOP/s, then 209 a minute later).
gemm_anchor=0
anchor_needs "GEMM anchor" numpy && gemm_anchor=1
for ((r = 1; r <= GEMM_ROUNDS; r++)); do
  append=(); [ "$r" -gt 1 ] && append=(-a)
  if [ "$gemm_anchor" = 1 ]; then
    run ${append[@]+"${append[@]}"} numpy-sgemm.log anchor "$anchors/sgemm_numpy.py"
  fi
  run ${append[@]+"${append[@]}"} nnj-gemm.log nnj dev.nnj.bench.GemmHarness --backend "$BACKEND" --sizes "$GEMM_SIZES"
done

# The article's numpy network, full batch, SGD
if anchor_needs "article anchor" numpy sklearn; then
  : > "$out/numpy-article.log"
  for seed in ${ARTICLE_SEEDS//,/ }; do
    run -a numpy-article.log anchor "$anchors/article_numpy.py" "$seed" "$EPOCHS"
  done
fi
run nnj-article.log nnj dev.nnj.bench.DigitsRun --backend "$BACKEND" --preset article --seeds "$ARTICLE_SEEDS" \
  --epochs "$EPOCHS"

# The Keras model: batch 32, Adam
if anchor_needs "keras anchor" sklearn torch; then
  : > "$out/torch-keras.log"
  for seed in ${KERAS_SEEDS//,/ }; do
    run -a torch-keras.log anchor "$anchors/keras_like_torch.py" "$seed" "$EPOCHS" 32 "$THREADS"
  done
fi
run nnj-keras.log nnj dev.nnj.bench.DigitsRun --backend "$BACKEND" --preset keras --seeds "$KERAS_SEEDS" \
  --epochs "$EPOCHS"

# Whole processes from a cold JVM, as a user runs them (the figures above are in-process)
if [ "${COLD_START:-1}" != 0 ]; then
  if ! THREADS="$THREADS" PYTHON="$PYTHON" "$NNJ_ROOT/bench/cold-start.sh" "$out"; then
    echo "!! cold-start.sh failed" >&2
    failed=$((failed + 1))
    reasons+=("bench/cold-start.sh failed (its messages are in the output of this run)")
  fi
fi

echo
# A run with failures or missing anchors writes its table beside a whole one from earlier, not over it.
kept=""
partial=$((failed + missing))
if [ "$partial" -gt 0 ] && [ -s "$out/comparison.md" ]; then
  kept="$out/comparison.md.kept"
  mv "$out/comparison.md" "$kept"
fi
if ! "$JAVA" -cp "$NNJ_JAR" dev.nnj.bench.Comparison "$out" --command "bench/compare-anchors.sh (THREADS=$THREADS EPOCHS=$EPOCHS ARTICLE_SEEDS=$ARTICLE_SEEDS KERAS_SEEDS=$KERAS_SEEDS)"; then
  if [ -n "$kept" ]; then
    mv "$kept" "$out/comparison.md"   # the table that was whole stays so
  fi
  echo "!! the comparison could not be written (see above)" >&2
  exit 1
fi
echo
if [ "$partial" -gt 0 ]; then
  mv "$out/comparison.md" "$out/comparison-partial.md"
  {
    echo
    echo "## Not measured because"
    echo
    printf -- '- %s\n' "${reasons[@]}"
    if [ "$GEMM_SIZES" != 64,128,256,512,1024,2048 ]; then
      echo "- (GEMM sizes other than GEMM_SIZES=$GEMM_SIZES were not asked for: not a failure)"
    fi
  } >> "$out/comparison-partial.md"
  if [ -n "$kept" ]; then
    mv "$kept" "$out/comparison.md"
  fi
  echo "== wrote $out/comparison-partial.md${kept:+ (the earlier comparison.md is left as it was)}"
  what=()
  [ "$failed" -gt 0 ] && what+=("$failed of the programs failed")
  [ "$missing" -gt 0 ] && what+=("$missing of the anchors are missing")
  echo "!! ${what[0]}${what[1]:+ and ${what[1]}} (see the !! lines above): comparison-partial.md lacks their" \
    "rows and lists them under \"Not measured because\"" >&2
  exit 1
fi
echo "== wrote $out/comparison.md"
