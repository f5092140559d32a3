# Shared lines of tools/{dist,slurm}_{train,test}.sh (sourced, not run).
#
# torchrun launches (dist_*.sh): NNODES=1, NODE_RANK=0,
# MASTER_ADDR=127.0.0.1, PORT=29500.
# Slurm launches (slurm_*.sh): GPUS=8, GPUS_PER_NODE=8, CPUS_PER_TASK=5,
# SRUN_ARGS="" (options for srun, split on spaces).
# Both: PYTHON=python.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# lowvis_check_count NAME VALUE: exit 2 with one line unless VALUE is a
# positive whole number.
lowvis_check_count() {
    if ! [[ "$2" =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $1 must be a positive number of processes, got '$2'" >&2
        exit 2
    fi
}

# lowvis_torchrun GPUS TOOL [ARGS ...]: replace this shell by torchrun
# starting GPUS processes of tools/TOOL on this node.
lowvis_torchrun() {
    local procs=$1 tool=$2
    shift 2
    lowvis_check_count GPUS "$procs"
    PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
    exec "${PYTHON:-python}" -m torch.distributed.run \
        --nnodes="${NNODES:-1}" \
        --node_rank="${NODE_RANK:-0}" \
        --master_addr="${MASTER_ADDR:-127.0.0.1}" \
        --master_port="${PORT:-29500}" \
        --nproc_per_node="$procs" \
        "$ROOT/tools/$tool" "$@"
}

# lowvis_srun PARTITION JOB_NAME TOOL [ARGS ...]: replace this shell by srun
# running tools/TOOL as GPUS tasks, GPUS_PER_NODE per node.
lowvis_srun() {
    local partition=$1 job_name=$2 tool=$3
    shift 3
    local gpus=${GPUS:-8} per_node=${GPUS_PER_NODE:-8}
    local cpus=${CPUS_PER_TASK:-5}
    lowvis_check_count GPUS "$gpus"
    lowvis_check_count GPUS_PER_NODE "$per_node"
    lowvis_check_count CPUS_PER_TASK "$cpus"
    # shellcheck disable=SC2086  # SRUN_ARGS is a list of options
    PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}" \
    exec srun -p "$partition" \
        --job-name="$job_name" \
        --gres=gpu:"$per_node" \
        --ntasks="$gpus" \
        --ntasks-per-node="$per_node" \
        --cpus-per-task="$cpus" \
        --kill-on-bad-exit=1 \
        ${SRUN_ARGS:-} \
        "${PYTHON:-python}" -u "$ROOT/tools/$tool" "$@"
}
