#!/usr/bin/env bash
# The GPU check in one command, for a machine that has a GPU, its driver, cuDNN and cuBLAS inside
# Python packages, and no Java, Maven or network. Runs from bench/gpu (with bundle/ built by
# bench/gpu/bundle.sh) or from inside the bundle folder itself:
#   1. puts the NVIDIA libraries of the Python site-packages (nvidia/*/lib, torch/lib) on
#      LD_LIBRARY_PATH and says which of the ones JCuda needs exist;
#   2. prints what `mixq info` prints (backends, probes, which provider serves each op);
#   3. runs the gpu-tagged tests (JUnit console launcher);
#   4. runs the GPU benchmarks (CUDA events): fake quantization, GEMM, a VGG-16 training step, and
#      PyTorch's references of all three where torch imports;
#   5. writes logs, results.tsv and results.txt into RESULTS_DIR and prints the table last.
# Finishes within about 5 minutes (each step has a timeout). Exit status: 0 all passed, 1 some
# step failed, 3 no usable CUDA device (nothing GPU-side ran).
# Usage: check.sh RESULTS_DIR   (MIXQ_CHECK_FQ_N, MIXQ_CHECK_GEMM_N, MIXQ_CHECK_STEP_BATCH and
# MIXQ_CHECK_STEP_WIDTH shrink the benchmark sizes, 2^28 floats, 4096 and a VGG-16 step at batch 128
# and width 1.0 by default, for a smaller device or a rehearsal on the driver emulator)
set -uo pipefail
fq_n="${MIXQ_CHECK_FQ_N:-268435456}"
gemm_n="${MIXQ_CHECK_GEMM_N:-4096}"
step_batch="${MIXQ_CHECK_STEP_BATCH:-128}"
step_width="${MIXQ_CHECK_STEP_WIDTH:-1.0}"

results="${1:?usage: check.sh RESULTS_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -x "$here/jre/bin/java" ]; then bundle="$here"; else bundle="${MIXQ_BUNDLE:-$here/bundle}"; fi
java="$bundle/jre/bin/java"
mkdir -p "$results/tmp"
results="$(cd "$results" && pwd)"
: > "$results/check.log"
started=$(date +%s)
deadline=$((started + 285))
failed=0

log() { echo "[check] $*" | tee -a "$results/check.log"; }

# run NAME SECONDS LOGFILE CMD...: runs CMD with a timeout cut to what is left of the 285 s
run() {
  local name="$1" limit="$2" out="$3"; shift 3
  local left=$((deadline - $(date +%s)))
  [ "$left" -lt "$limit" ] && limit="$left"
  if [ "$limit" -le 5 ]; then log "$name: skipped, out of time"; failed=1; return 1; fi
  local t0=$(date +%s)
  timeout "$limit" "$@" > "$out" 2>&1
  local rc=$?
  log "$name: exit $rc after $(( $(date +%s) - t0 )) s (limit $limit s) -> $(basename "$out")"
  [ "$rc" -eq 124 ] && log "$name: TIMED OUT"
  return "$rc"
}

if [ ! -x "$java" ]; then
  log "no Java runtime at $bundle/jre: build the bundle first with bench/gpu/bundle.sh"
  exit 2
fi

# ---- 1. NVIDIA libraries from the Python packages -------------------------------------------
libdirs=""
if command -v python3 > /dev/null 2>&1; then
  sites="$(python3 -c 'import site; print("\n".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null)"
  for site in $sites; do
    for d in "$site"/nvidia/*/lib "$site"/torch/lib; do
      [ -d "$d" ] && libdirs="$libdirs:$d"
    done
  done
fi
export LD_LIBRARY_PATH="${libdirs#:}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
log "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"

find_lib() {
  local d
  local IFS=:
  for d in $LD_LIBRARY_PATH; do
    if [ -e "$d/$1" ]; then echo "$d/$1"; return; fi
  done
  ldconfig -p 2> /dev/null | awk -v l="$1" '$1 == l { print $NF; exit }'
}
for lib in libcuda.so.1 libcudnn.so.9 libcublas.so.12 libcublas.so.13 libnvrtc.so.12; do
  where="$(find_lib "$lib")"
  log "$lib: ${where:-not found}"
done
if [ -z "$(find_lib libcublas.so.12)" ]; then
  log "JCublas2 12.6 needs libcublas.so.12 (a CUDA 13 cuBLAS is libcublas.so.13 and does not satisfy it): the hand-written GEMM serves"
fi
if command -v nvidia-smi > /dev/null 2>&1; then
  log "nvidia-smi: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -1)"
fi

# ---- 2. probe -----------------------------------------------------------------------------------
jars="$(ls "$bundle"/lib/*.jar | grep -v junit-platform-console | tr '\n' ':')"
jopts=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -XX:+UseParallelGC
       "-Djava.io.tmpdir=$results/tmp")
run info 45 "$results/info.txt" "$java" "${jopts[@]}" -cp "$jars" org.mixq.bench.gpu.GpuInfo || failed=1
cat "$results/info.txt"
if ! grep -q '^backend  cuda  usable' "$results/info.txt"; then
  log "no usable CUDA device: $(grep '^backend  cuda' "$results/info.txt" | head -1)"
  log "skipping the gpu tests and benchmarks"
  printf 'step\tresult\nprobe\tno usable CUDA device\n' > "$results/results.tsv"
  exit 3
fi

# ---- 3. gpu-tagged tests ------------------------------------------------------------------------
run tests 120 "$results/tests.log" "$java" "${jopts[@]}" -Dmixq.test.requireDevice=true -jar "$bundle/lib/junit-platform-console-standalone.jar" \
  execute --disable-banner --disable-ansi-colors --details=tree --class-path "$jars$bundle/tests" --scan-class-path "$bundle/tests" \
  --include-tag gpu || failed=1
summary="$(awk '/tests (found|successful|failed|aborted|skipped)/ { gsub(/[][]/, ""); n[$3] = $1; seen = 1 }
  END { if (seen) printf "%d passed, %d failed, %d aborted, %d skipped of %d", n["successful"], n["failed"], n["aborted"], n["skipped"], n["found"] }' "$results/tests.log")"
log "tests: ${summary:-no summary (see tests.log)}"

# ---- 4. benchmarks ------------------------------------------------------------------------------
run "fake quant bench" 75 "$results/bench-fakequant.log" "$java" "${jopts[@]}" -Xmx6g -cp "$jars" \
  org.mixq.bench.gpu.FakeQuantGpuBench "$fq_n" || failed=1
run "gemm bench" 60 "$results/bench-gemm.log" "$java" "${jopts[@]}" -Xmx2g -cp "$jars" \
  org.mixq.bench.gpu.GemmGpuBench "$gemm_n" || failed=1
run "vgg16 train step" 60 "$results/bench-trainstep.log" "$java" "${jopts[@]}" -Xmx4g -cp "$jars" \
  org.mixq.bench.gpu.TrainStepGpuBench "$step_batch" "$step_width" || failed=1
if python3 -c 'import torch; assert torch.cuda.is_available()' > /dev/null 2>&1; then
  run "pytorch reference" 90 "$results/bench-torch.log" python3 "$bundle/torch_reference.py" "$fq_n" "$gemm_n" "$step_batch" "$step_width" \
    || failed=1
else
  log "pytorch reference: torch does not import with CUDA here, skipped"
fi

# ---- 5. results -----------------------------------------------------------------------------------
{
  printf 'benchmark\tmedian_ms\trate\tunit\tnote\n'
  grep -h '^RESULT|' "$results"/bench-*.log 2> /dev/null | cut -d'|' -f2- | tr '|' '\t'
} > "$results/results.tsv"
{
  echo "device:  $(grep '^backend  cuda' "$results/info.txt" | sed 's/^backend  cuda  usable  *//')"
  echo "serving: $(grep '^selected' "$results/info.txt" | sed 's/.*; gemm: /gemm: /; s/; batch norm.*//')"
  echo "tests:   ${summary:-see tests.log}"
  echo "elapsed: $(( $(date +%s) - started )) s"
  echo
  awk -F'\t' '{ printf "%-32s %11s %9s %-8s %s\n", $1, $2, $3, $4, $5 }' "$results/results.tsv"
} > "$results/results.txt"
cat "$results/results.txt"
exit "$failed"
