#!/usr/bin/env bash
# Evaluate a checkpoint on several processes (one per GPU) with torchrun.
#
#   tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py args ...]
#
# GPUS is the number of processes per node. The test images are split
# between the processes; rank 0 gathers the results and writes the CSV,
# the summary and the images. Without CUDA the processes run on the CPU
# with gloo. Multi-node: set NNODES, NODE_RANK, MASTER_ADDR and PORT.
# PYTHON picks the interpreter (default: python).
set -euo pipefail

if [ "$#" -lt 3 ]; then
    echo "usage: $0 CONFIG CHECKPOINT GPUS [tools/test.py arguments ...]" >&2
    exit 2
fi
source "$(dirname "$0")/dist_common.sh"
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
shift 3
lowvis_torchrun "$GPUS" test.py "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
