#!/usr/bin/env bash
# Runs the CPU benchmarks with settings short enough for a 2-core machine (about 12 minutes),
# each figure beside its reference measured in the same run, and writes JMH's JSON and text
# output into RESULTS_DIR (default bench/results-cpu). The references: the machine's FMA peak,
# System.arraycopy, OpenBLAS and netlib called directly, and PyTorch 2.7.1's own CPU kernels
# (module bench/torch, built here with -Ptorch: an 84 MB download the first time; skipped with a
# message where it cannot be built). Needs a quiet machine: JMH measures wall time.
#   bench/run-cpu.sh [RESULTS_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/bench/results-cpu}"
mkdir -p "$out"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$java" ] || java=java
(cd "$root" && mvn -B -q -DskipTests package -pl bench -am)
jar="$root/bench/target/benchmarks.jar"
torch_jar="$root/bench/torch/target/torch-benchmarks.jar"
if ! (cd "$root" && mvn -B -q -Ptorch -DskipTests package -pl bench/torch -am); then
  echo "PyTorch reference not built (mvn -Ptorch failed, see above): its rows are skipped"
  torch_jar=""
fi
short=(-f 1 -wi 2 -i 4 -w 1s -r 1s)

run() {  # jar, name, then JMH arguments
  local from="$1" name="$2"; shift 2
  echo "== $name"
  "$java" -jar "$from" "$@" -rf json -rff "$out/$name.json" | tee "$out/$name.txt" | grep -E "^(Benchmark|[A-Z][A-Za-z]+Bench)" || true
}

step=(-f 1 -wi 2 -i 3 -w 2s -r 3s)
run "$jar" peak 'PeakFlopsBench' "${short[@]}"
run "$jar" fakequant 'FakeQuantBench' "${short[@]}" -p threads=1,2
run "$jar" gemm 'GemmBench' "${short[@]}"
run "$jar" conv 'ConvBench.forward' "${short[@]}" -p threads=2
[ -z "$torch_jar" ] || run "$torch_jar" torch-conv 'TorchConvBench' "${short[@]}" -p threads=2
run "$jar" batches 'BatchBench' "${short[@]}"
run "$jar" trainstep 'TrainStepBench' "${step[@]}"
[ -z "$torch_jar" ] || run "$torch_jar" torch-trainstep 'TorchTrainStepBench' "${step[@]}"
echo "results in $out"
