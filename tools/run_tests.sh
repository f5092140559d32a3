#!/usr/bin/env bash
# Create the environment when missing, then run the whole test suite,
# one pytest worker per CPU core (pytest-xdist), each single-threaded.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup_env.sh
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
exec .venv/bin/python -m pytest -q -n "${LOWVIS_TEST_WORKERS:-auto}" tests "$@"
