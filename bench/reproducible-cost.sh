#!/usr/bin/env bash
# What the reproducible mode (MIXQ_REPRODUCIBLE=1: mixq's own kernels only, every sum in an order
# fixed by the problem) costs against the default (OpenBLAS) on search episodes: VGG-16 at width
# 0.25 on Fashion-MNIST, the search protocol of bench/search-fmnist.sh (HAQ reward, 3-bit budget),
# EPISODES episodes per search (default 4), ROUNDS rounds (default 3) of one search per mode,
# alternating, each a fresh folder. Prints the median seconds of an episode per mode (the first
# episode of each search, which pays for the JIT, left out) and the ratio; the per-episode rows
# stay in RUNS_DIR. The model is trained once, 1 epoch, in the default mode.
#   bench/reproducible-cost.sh [RUNS_DIR]      (default runs/reproducible-cost)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-$root/runs/reproducible-cost}"
mixq="$root/mixq"
ckpt="$runs/fp/model.ckpt"
episodes="${EPISODES:-4}"
rounds="${ROUNDS:-3}"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, MIXQ_THREADS=${MIXQ_THREADS:-all}"

if [ ! -f "$ckpt" ]; then
  MIXQ_REPRODUCIBLE=0 "$mixq" train --model vgg16 --width 0.25 --dataset fashion-mnist --epochs 1 --out "$runs/fp" > /dev/null
fi
for round in $(seq 1 "$rounds"); do
  for mode in 0 1; do
    dir="$runs/search-mode$mode-round$round"
    rm -rf "$dir"
    MIXQ_REPRODUCIBLE=$mode "$mixq" search --checkpoint "$ckpt" --out "$dir" --episodes "$episodes" \
      --warmup "$episodes" --target-bits 3 --reward haq --prior both > /dev/null
  done
done

# seconds is the last column of episodes.csv; episode 0 of each search is left out
python3 - "$runs" <<'EOF'
import csv, glob, statistics, sys
runs = sys.argv[1]
median = {}
for mode, name in (("0", "default"), ("1", "reproducible")):
    secs = []
    for f in sorted(glob.glob(f"{runs}/search-mode{mode}-round*/episodes.csv")):
        rows = list(csv.DictReader(open(f)))
        secs += [float(r["seconds"]) for r in rows if int(r["episode"]) > 0]
    median[name] = statistics.median(secs)
    print(f"{name:13s} median {median[name]:.2f} s per episode over {len(secs)} episodes"
          f" (min {min(secs):.2f}, max {max(secs):.2f})")
print(f"reproducible / default: {median['reproducible'] / median['default']:.2f}x")
EOF
