#!/usr/bin/env bash
# Train on a Slurm cluster: srun starts one task per GPU (mmagic's layout).
#
#   [GPUS=8] [GPUS_PER_NODE=8] [CPUS_PER_TASK=5] [SRUN_ARGS="..."] \
#       tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args]
#
# GPUS tasks in all, GPUS_PER_NODE per node (GPUS=16 GPUS_PER_NODE=8: two
# nodes). mmengine's slurm launcher reads the rank, the world size and the
# first node's address from Slurm's variables; PORT (default 29500) is the
# rendezvous port. PYTHON picks the interpreter (default: python).
set -euo pipefail

if [ "$#" -lt 4 ]; then
    echo "usage: $0 PARTITION JOB_NAME CONFIG WORK_DIR [tools/train.py arguments ...]" >&2
    exit 2
fi
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
WORK_DIR=$4
shift 4
source "$(dirname "$0")/dist_common.sh"
lowvis_srun "$PARTITION" "$JOB_NAME" train.py "$CONFIG" --work-dir="$WORK_DIR" --launcher=slurm "$@"
