#!/usr/bin/env bash
# The prepared check for a machine with one CUDA GPU (at most ~8 minutes).
#
#   tools/device_check.sh [--out-dir work_dirs/device_check] [--budget-s 480]
#       [--iters 30]
#
# Runs the CUDA test subset, times dcdgan_rain800.py at 256 px in fp32, fp16
# and bf16 (also with channels_last and with torch.compile), restores one
# 3000x2000 image on the GPU and trains 2 gloo processes on the one GPU;
# writes device_check.json and device_check.md (see tools/device_check.py).
# Without a CUDA device: one error line, exit code 2.
# PYTHON picks the interpreter (default: python).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
exec "${PYTHON:-python}" "$ROOT/tools/device_check.py" "$@"
