"""Writes <file>.cpp: a kernel file of src/main/cuda plus a static registration of its kernels.

Usage: register_kernels.py SOURCE.cu OUTPUT.cpp
"""
import os
import re
import sys

source, output = sys.argv[1], sys.argv[2]
text = open(source).read()
names = re.findall(r'extern "C" __global__\s+(?:void\s+)?(?:__launch_bounds__\(\w+\)\s*)?(?:void\s+)?(\w+)\s*\(', text)
if not names:
    sys.exit(f"{source}: no extern \"C\" __global__ kernel found")
base = os.path.basename(source)[:-3]
with open(output, "w") as f:
    f.write('#include "emu.h"\n' + text + "\nnamespace {\n")
    f.write(f"struct Register_{base} {{\n    Register_{base}() {{\n")
    for name in names:
        f.write(f'        emu_reg("{name}", &{name});\n')
    f.write(f"    }}\n}} register_{base};\n}}  // namespace\n")
