#!/usr/bin/env bash
# Evaluate a checkpoint on a Slurm cluster, one task per GPU (mmagic's layout).
#
#   [GPUS=8] [GPUS_PER_NODE=8] [CPUS_PER_TASK=5] [SRUN_ARGS="..."] \
#       tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py args]
#
# The test images are split between the tasks; rank 0 writes the results.
# PYTHON picks the interpreter (default: python).
set -euo pipefail

if [ "$#" -lt 4 ]; then
    echo "usage: $0 PARTITION JOB_NAME CONFIG CHECKPOINT [tools/test.py arguments ...]" >&2
    exit 2
fi
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
CHECKPOINT=$4
shift 4
source "$(dirname "$0")/dist_common.sh"
lowvis_srun "$PARTITION" "$JOB_NAME" test.py "$CONFIG" "$CHECKPOINT" --launcher=slurm "$@"
