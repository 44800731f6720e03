#!/usr/bin/env bash
# Runs the CPU benchmarks with settings short enough for a 2-core machine (about 6 minutes),
# each figure beside its reference measured in the same run, and writes JMH's JSON and text
# output into RESULTS_DIR (default bench/results-cpu). Needs a quiet machine: JMH measures
# wall time.
#   bench/run-cpu.sh [RESULTS_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/bench/results-cpu}"
mkdir -p "$out"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
[ -x "$java" ] || java=java
(cd "$root" && mvn -B -q -DskipTests package -pl bench -am)
jar="$root/bench/target/benchmarks.jar"
short=(-f 1 -wi 2 -i 4 -w 1s -r 1s)

run() {  # name, then JMH arguments
  local name="$1"; shift
  echo "== $name"
  "$java" -jar "$jar" "$@" -rf json -rff "$out/$name.json" | tee "$out/$name.txt" | grep -E "^(Benchmark|[A-Z][A-Za-z]+Bench)" || true
}

run fakequant 'FakeQuantBench' "${short[@]}" -p threads=1,2
run gemm 'GemmBench' "${short[@]}"
run conv 'ConvBench.forward' "${short[@]}" -p threads=2
run batches 'BatchBench' "${short[@]}"
run trainstep 'TrainStepBench' -f 1 -wi 2 -i 3 -w 2s -r 3s
echo "results in $out"
