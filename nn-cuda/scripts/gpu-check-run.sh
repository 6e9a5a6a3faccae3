#!/bin/sh
# nnj GPU check: runs from the folder made by nn-cuda/scripts/prepare-gpu-check.sh, on a Linux x86-64 machine
# with an NVIDIA driver and cuBLAS (any CUDA 12 or 13 installation, or NVIDIA's nvidia-cublas wheel, which it
# finds through python3); needs nothing else (no Java, Maven or network). In order:
#   1. the CUDA probe — stops here, with its reason and exit status 2, where the backend is not available;
#   2. nn-cuda's tests on the GPU: the shared conformance suite, CPU-vs-GPU cross checks (FP32 and TF32),
#      a model trained on both, and the loader, probe and contract tests;
#   3. the digits trainer's article preset on the GPU (when nn-examples was bundled);
#   4. a CPU-vs-GPU SGEMM timing table;
#   5. the digits trainer's keras preset on the CPU backend, with a progress line every 100 epochs: on an Intel
#      host its per-epoch time shows whether subnormal floats still slow the CPU backend as a model converges
#      (docs/gpu.md, "Second visit"). Epochs 901-1000 should take about as long as epochs 101-200.
# First it prints this machine's glibc beside the one the bundle needs, and NVIDIA_TF32_OVERRIDE when set; last,
# one line per failed test, and it copies the JUnit reports to $OUT when that names a folder.
# Environment: NNJ_GPU_CHECK_SKIP="tests digits timing keras-cpu" (any of them), NNJ_TIMING_MAX (default 2048),
# NNJ_GPU_CHECK_CONTINUE=1 to go on after an unavailable probe (to try the folder on a machine without a GPU:
# the GPU tests then skip with the probe's reason, the emulated-device ones run).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
java="$here/jre/bin/java"
cp="$here/test-classes:$here/lib/*:$(ls "$here"/junit-platform-console-standalone-*.jar)"
flags="-XX:+IgnoreUnrecognizedVMOptions --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector"
props="-Dbasedir=$here -Dnnj.cuda.nativeDir=$here/natives"
skip="${NNJ_GPU_CHECK_SKIP:-}"
status=0

# Before any Java: a runtime built against a newer glibc than this machine's fails to start with a loader error
# (version `GLIBC_2.xx' not found), so both versions are printed side by side.
echo "== machine"
libc=""
if command -v ldd >/dev/null 2>&1; then
  libc="$(ldd --version 2>&1 | head -n 1)"
fi
if [ -z "$libc" ]; then
  libc="$(getconf GNU_LIBC_VERSION 2>/dev/null || true)"
fi
echo "glibc here: ${libc:-unknown (neither ldd --version nor getconf GNU_LIBC_VERSION answered)}"
if [ -f "$here/glibc-needed.txt" ]; then
  sed 's/^/glibc needed by the /' "$here/glibc-needed.txt"
fi
if [ -f "$here/commit.txt" ]; then
  echo "bundle built from commit $(cat "$here/commit.txt")"
fi
# NVIDIA's libraries read it themselves; NVIDIA documents =0, which disables TF32 whatever nnj asks for (the
# TF32 cross checks would then measure FP32).
if [ -n "${NVIDIA_TF32_OVERRIDE+set}" ]; then
  echo "NVIDIA_TF32_OVERRIDE=$NVIDIA_TF32_OVERRIDE"
fi

echo "== 1. probe"
# Shown as it comes (a probe that hangs still shows how far it got), and kept to read its reason below.
# shellcheck disable=SC2086
# (set -e ends the group at a failing command unless the command's status is taken in a list.)
{
  "$java" $flags $props -cp "$cp" dev.nnj.cuda.GpuCheckMain probe 2>&1 && rc=0 || rc=$?
  echo "$rc" > "$here/probe.status"
} | tee "$here/probe.log"
probe="$(cat "$here/probe.status")"
said="$(cat "$here/probe.log")"
# Machine-learning images often carry cuBLAS only inside Python's nvidia-cublas wheel, which the backend's own search
# does not look in: where the probe found no cuBLAS and python3 knows that wheel, the probe runs again with its folder.
if [ "$probe" -ne 0 ] && echo "$said" | grep -q "cuBLAS not found" && command -v python3 >/dev/null 2>&1; then
  wheel="$(python3 -c 'import os, nvidia.cublas as c; print(os.path.join(list(c.__path__)[0], "lib"))' \
    2>/dev/null || true)"
  if [ -n "$wheel" ] && [ -d "$wheel" ]; then
    echo "trying the cuBLAS of Python's nvidia-cublas wheel: $wheel"
    probe=0
    # shellcheck disable=SC2086
    "$java" $flags $props "-Dnnj.cuda.cublasDir=$wheel" -cp "$cp" dev.nnj.cuda.GpuCheckMain probe || probe=$?
    if [ "$probe" -eq 0 ]; then
      props="$props -Dnnj.cuda.cublasDir=$wheel"
    fi
  fi
fi
if [ "$probe" -ne 0 ] && [ "${NNJ_GPU_CHECK_CONTINUE:-0}" != 1 ]; then
  echo "== stopped: the cuda backend cannot run here (above). NNJ_GPU_CHECK_CONTINUE=1 goes on anyway: the GPU" \
    "tests then skip with that reason and the emulated-device ones run." >&2
  exit "$probe"
fi

case " $skip " in *" tests "*) ;; *)
  echo "== 2. tests on the GPU"
  # The cuBLAS 13 loader tests take a real libcublas.so.13 from NNJ_TEST_CUBLAS13_DIR (else NVIDIA's wheel, which a
  # GPU machine seldom has, and they skip): on a CUDA 13 machine, its own.
  if [ -z "${NNJ_TEST_CUBLAS13_DIR:-}" ]; then
    for d in ${CUDA_HOME:+"$CUDA_HOME/lib64"} /usr/local/cuda/lib64; do
      if [ -f "$d/libcublas.so.13" ] && [ -f "$d/libcublasLt.so.13" ]; then
        NNJ_TEST_CUBLAS13_DIR="$d"
        export NNJ_TEST_CUBLAS13_DIR
        echo "cuBLAS 13 loader tests use $d"
        break
      fi
    done
  fi
  # shellcheck disable=SC2086
  "$java" $flags $props -cp "$cp" org.junit.platform.console.ConsoleLauncher execute \
    --select-package dev.nnj.cuda --details=summary --disable-banner \
    --reports-dir "$here/test-reports" || status=1
;; esac

# Steps 3 and 5 run the digits trainer, which the bundle holds when nn-examples was built beside nn-cuda.
examples=0
if ls "$here"/lib/nn-examples-*.jar >/dev/null 2>&1; then
  examples=1
fi

case " $skip " in *" digits "*) ;; *)
  if [ "$examples" = 1 ]; then
    echo "== 3. digits trainer, article preset, on the GPU"
    # shellcheck disable=SC2086
    "$java" $flags $props -cp "$cp" dev.nnj.examples.DigitsTrainer --preset article --backend cuda || status=1
  else
    echo "== 3. digits trainer not bundled (nn-examples missing)"
  fi
;; esac

case " $skip " in *" timing "*) ;; *)
  echo "== 4. CPU vs GPU timing"
  # shellcheck disable=SC2086
  "$java" $flags $props -cp "$cp" dev.nnj.cuda.GpuCheckMain timing "${NNJ_TIMING_MAX:-2048}" || status=1
;; esac

case " $skip " in *" keras-cpu "*) ;; *)
  if [ "$examples" = 1 ]; then
    echo "== 5. digits trainer, keras preset, on the CPU backend ($(nproc 2>/dev/null || echo ?) CPUs)"
    grep -m1 'model name' /proc/cpuinfo 2>/dev/null || true
    # shellcheck disable=SC2086
    "$java" $flags $props -cp "$cp" dev.nnj.examples.DigitsTrainer --preset keras --backend cpu \
      --progress-every 100 || status=1
  fi
;; esac

# Last, where a short tail of the output still shows it: one line per failed test (the summary in step 2 lists
# them with stack traces, which a tail may cut), and the JUnit reports copied to $OUT when the caller collects
# files from there.
if [ -d "$here/test-reports" ]; then
  failures="$(awk '
    /<testcase /   { match($0, /name="[^"]*"/); test = substr($0, RSTART + 6, RLENGTH - 7)
                     match($0, /classname="[^"]*"/); cls = substr($0, RSTART + 11, RLENGTH - 12) }
    /<(failure|error)[ >]/ { print "  " cls "." test }
  ' "$here"/test-reports/*.xml 2>/dev/null || true)"
  if [ -n "$failures" ]; then
    echo "== failed tests"
    echo "$failures"
  fi
  if [ -n "${OUT:-}" ] && [ -d "$OUT" ]; then
    cp -r "$here/test-reports" "$OUT/" && echo "JUnit reports copied to $OUT/test-reports"
  fi
fi
echo "== gpu check finished with status $status"
exit $status
