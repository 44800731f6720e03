#!/usr/bin/env bash
# The search targets on a CPU: VGG-16 at width 0.25 on Fashion-MNIST, a 3-bit weighted budget.
#   bench/search-fmnist.sh STAGE [RUNS_DIR]      (RUNS_DIR default runs/fmnist-vgg16)
# Stages, in order (each is the mixq command a user would run; a search folder resumes):
#   fp        train the full-precision model, 15 epochs (fp/)
#   search    the main search: HAQ reward and budget wall, parameter-count prior in state and
#             action, SEARCH_EPISODES episodes (default 200) (haq-both/)
#   compare   the same protocol, COMPARE_EPISODES episodes (default 100), once without the prior
#             (haq-none/) and once with the thesis reward (thesis-both/); both run side by side,
#             one thread each; compare them with the first COMPARE_EPISODES rows of haq-both
#   baselines uniform 2 and 4-bit and RANDOM_POLICIES random policies (default 20) under the
#             budget wall, each with the search's per-episode protocol (haq-both/baselines.csv;
#             the finetune stage measures uniform 3-bit)
#   finetune  fine-tune the main search's best policy and uniform 3-bit, FINETUNE_EPOCHS
#             epochs each (default 6) with the same batch order (seed 234, the baseline's), side
#             by side, one thread each; test accuracy in results.csv
#   report    the full-precision row (validation and test), haq-both/report.html
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage="${1:?usage: bench/search-fmnist.sh fp|search|compare|baselines|finetune|report [RUNS_DIR]}"
runs="${2:-$root/runs/fmnist-vgg16}"
mixq="$root/mixq"
ckpt="$runs/fp/model.ckpt"
budget=(--target-bits 3)

search() {  # folder, episodes, then extra options
  local dir="$1" episodes="$2"; shift 2
  "$mixq" search --checkpoint "$ckpt" --out "$runs/$dir" --episodes "$episodes" "${budget[@]}" "$@"
}

case "$stage" in
  fp)
    "$mixq" train --model vgg16 --width 0.25 --dataset fashion-mnist --epochs 15 --out "$runs/fp"
    ;;
  search)
    start=$SECONDS
    search haq-both "${SEARCH_EPISODES:-200}" --reward haq --prior both
    echo "search wall time $((SECONDS - start)) s"
    ;;
  compare)
    MIXQ_THREADS=1 search haq-none "${COMPARE_EPISODES:-100}" --reward haq --prior none > "$runs/haq-none.log" 2>&1 &
    MIXQ_THREADS=1 search thesis-both "${COMPARE_EPISODES:-100}" --reward thesis --prior both > "$runs/thesis-both.log" 2>&1 &
    wait %1 && wait %2
    ;;
  baselines)
    "$mixq" baseline --checkpoint "$ckpt" --out "$runs/haq-both" --uniform 2,4 --random "${RANDOM_POLICIES:-20}"
    ;;
  finetune)
    epochs="${FINETUNE_EPOCHS:-6}"
    MIXQ_THREADS=1 "$mixq" finetune --checkpoint "$ckpt" --policy "$runs/haq-both/best-policy.json" --epochs "$epochs" --seed 234 \
      --out "$runs/finetune" --results "$runs/haq-both" --method mixq > "$runs/finetune.log" 2>&1 &
    MIXQ_THREADS=1 "$mixq" baseline --checkpoint "$ckpt" --out "$runs/haq-both" --uniform 3 --epochs "$epochs" \
      > "$runs/uniform3.log" 2>&1 &
    wait %1 && wait %2
    ;;
  report)
    "$mixq" eval --checkpoint "$ckpt" --results "$runs/haq-both"
    "$mixq" report --run "$runs/haq-both" --title "VGG-16 x0.25 on Fashion-MNIST, 3-bit budget"
    ;;
  *)
    echo "bench/search-fmnist.sh: unknown stage '$stage' (expected fp, search, compare, baselines, finetune or report)" >&2
    exit 2
    ;;
esac
