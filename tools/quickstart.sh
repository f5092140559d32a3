#!/usr/bin/env bash
# Fresh machine to results: environment, built-in demo data, train the demo
# config, then evaluate it and print PSNR/SSIM of the rainy input and of the
# derained output against the ground truth side by side, and write a labelled
# comparison picture of a few test images.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${1:-configs/dcdgan_demo.py}
bash tools/setup_env.sh
PYTHON=.venv/bin/python
[ -d data/demo_rain/trainA ] || $PYTHON tools/make_demo_data.py --out data/demo_rain
NAME=$(basename "$CONFIG" .py)
WORK=work_dirs/$NAME
$PYTHON tools/train.py "$CONFIG" --work-dir "$WORK"
CKPT=$(cat "$WORK/last_checkpoint")
$PYTHON tools/test.py "$CONFIG" "$CKPT" --work-dir "$WORK/test" --out-dir "$WORK/test/images"
echo
$PYTHON tools/analysis/report_test.py "$WORK/test/images/summary.json"
$PYTHON tools/analysis/compare_images.py --inputs data/demo_rain/testA --gt data/demo_rain/testB --method "derained=$WORK/test/images" --max-images 6 --height 256 --out "$WORK/test/comparison.png"
