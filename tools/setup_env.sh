#!/usr/bin/env bash
# Create ./.venv with lowvis and its dependencies (idempotent).
# torch/torchvision are pinned to the builds this project is tested with;
# on the development machines pip takes them from a local wheel cache.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv
STAMP="$VENV/.lowvis-installed"
# reinstall when setup.py or this script (e.g. its extras) changes
WANT="$(cat setup.py tools/setup_env.sh | sha256sum | cut -c1-16)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  exit 0
fi
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
"$VENV/bin/python" -m pip install -q torch==2.14.1 torchvision==0.29.1
# onnx and web: the export, ONNX Runtime and web-demo tests need them
"$VENV/bin/python" -m pip install -q -e '.[tests,onnx,web,tensorboard]'
echo "$WANT" > "$STAMP"
echo "environment ready: $VENV"
