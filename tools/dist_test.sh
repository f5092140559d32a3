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
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
shift 3
if ! [[ "$GPUS" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: GPUS must be a positive number of processes, got '$GPUS'" >&2
    exit 2
fi
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
exec "${PYTHON:-python}" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --master_port="$PORT" \
    --nproc_per_node="$GPUS" \
    "$ROOT/tools/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
