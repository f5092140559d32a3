#!/usr/bin/env bash
# Train on several processes (one per GPU) with torchrun.
#
#   tools/dist_train.sh CONFIG GPUS [train.py args ...]
#
# GPUS is the number of processes per node. With CUDA each process drives
# one GPU (NCCL); without CUDA the processes run on the CPU with gloo.
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR and PORT on every node
# (docs/distributed.md). PYTHON picks the interpreter (default: python).
set -euo pipefail

if [ "$#" -lt 2 ]; then
    echo "usage: $0 CONFIG GPUS [tools/train.py arguments ...]" >&2
    exit 2
fi
source "$(dirname "$0")/dist_common.sh"
CONFIG=$1
GPUS=$2
shift 2
lowvis_torchrun "$GPUS" train.py "$CONFIG" --launcher pytorch "$@"
