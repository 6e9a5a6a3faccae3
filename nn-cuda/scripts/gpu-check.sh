#!/bin/sh
# Runs the prepared GPU check: nn-cuda/scripts/gpu-check.sh [FOLDER], default nn-cuda/target/gpu-check.
# Prepare the folder first with nn-cuda/scripts/prepare-gpu-check.sh (on a machine with a JDK and Maven).
set -eu
dir="${1:-$(cd "$(dirname "$0")/.." && pwd)/target/gpu-check}"
if [ ! -x "$dir/run.sh" ]; then
  echo "no prepared GPU check in $dir: run nn-cuda/scripts/prepare-gpu-check.sh first" >&2
  exit 2
fi
exec "$dir/run.sh"
