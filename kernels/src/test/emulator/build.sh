#!/usr/bin/env bash
# Builds kernels/target/emulator/libcuda.so.1: a CPU stand-in for the CUDA driver that runs the
# kernel files of src/main/cuda as host C++; and, in target/emulator/vendor, stand-ins for
# libcudnn.so.9 and libcublas.so.12 (cudnn.cpp, cublas.cpp), for a run that takes the vendor paths. With it on LD_LIBRARY_PATH, JCuda loads and the
# gpu-tagged tests run on a machine without a GPU. `mvn verify` builds it and runs them on it in
# both thread orders (kernels/pom.xml); by hand:
#   kernels/src/test/emulator/build.sh
#   LD_LIBRARY_PATH="$PWD/kernels/target/emulator" MIXQ_EMULATOR_ORDER=reverse mvn -B -Pgpu -pl kernels -am test
#   (an absolute path: the test JVM runs in kernels/)
# It checks what a missing GPU hides (launch geometry, indexing, argument marshalling, kernel
# names, allocator and stream logic), not device numerics or speed: the host compiler rounds
# like the CPU backend (-ffp-contract=off), cuBLAS and cuDNN are absent unless vendor/ is on the
# path too (else the hand-written paths run), and every launch runs to completion before it returns. Needs g++, CUDA's cuda.h and x86-64.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kernels="$(cd "$here/../../.." && pwd)"
out="$kernels/target/emulator"
include="${CUDA_INCLUDE:-/usr/local/cuda/include}"
[ -f "$include/cuda.h" ] || { echo "build.sh: no cuda.h in $include (set CUDA_INCLUDE)" >&2; exit 2; }
mkdir -p "$out"
flags=(-std=c++17 -O1 -fPIC -ffp-contract=off -I"$here" -I"$include")
objects=()
for cu in "$kernels"/src/main/cuda/*.cu; do
  name="$(basename "$cu" .cu)"
  python3 "$here/register_kernels.py" "$cu" "$out/$name.cpp"
  g++ "${flags[@]}" -c "$out/$name.cpp" -o "$out/$name.o"
  objects+=("$out/$name.o")
done
g++ "${flags[@]}" -c "$here/driver.cpp" -o "$out/driver.o"
g++ -shared -Wl,-soname,libcuda.so.1 -o "$out/libcuda.so.1" "$out/driver.o" "${objects[@]}"
echo "built $out/libcuda.so.1"

# The JCuda natives ask for versioned symbols (cudnnCreate@libcudnn.so.9), so each stand-in
# defines its library's version node.
mkdir -p "$out/vendor"
for lib in cudnn:libcudnn.so.9 cublas:libcublas.so.12; do
  source="${lib%%:*}" soname="${lib#*:}"
  printf '%s { global: *; };\n' "$soname" > "$out/vendor/$source.map"
  g++ "${flags[@]}" -shared -Wl,-soname,"$soname" -Wl,--version-script="$out/vendor/$source.map" \
    -o "$out/vendor/$soname" "$here/$source.cpp"
  echo "built $out/vendor/$soname"
done
