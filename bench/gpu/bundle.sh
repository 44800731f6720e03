#!/usr/bin/env bash
# Builds bench/gpu/bundle/: everything bench/gpu/check.sh needs on a GPU machine that has no
# Java, no Maven and no network. Contents:
#   jre/   a trimmed Java 25 runtime (jlink; the modules the tests and benchmarks use)
#   lib/   core, kernels, cifar-loader, nn and bench jars (the VGG-16 training step), the core and
#          kernels test jars, JCuda jars and natives, gson (nn's checkpoints),
#          netlib BLAS and the OpenBLAS/JavaCPP class jars WITHOUT their natives (no room: the
#          CPU backend falls back to its Vector API SGEMM), and the JUnit console launcher
#   tests/ the kernels test classes, unpacked: the JUnit launcher scans a jar through the zip file
#          system (module jdk.zipfs), which the trimmed runtime leaves out; a folder needs nothing
#   check.sh, torch_reference.py   copies, so the folder also runs on its own
# The whole folder must stay under 64 MiB. Usage: bench/gpu/bundle.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/bundle"
jdk="${MIXQ_JLINK_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
junit_console="org.junit.platform:junit-platform-console-standalone:1.14.1"
dependency_plugin="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
limit=$((64 * 1024 * 1024))

[ -x "$jdk/bin/jlink" ] || { echo "bundle.sh: no jlink at $jdk/bin/jlink (set MIXQ_JLINK_JDK to a JDK 25)" >&2; exit 2; }
export JAVA_HOME="$jdk" PATH="$jdk/bin:$PATH"

echo "[bundle] building core, kernels and bench (mvn package, tests skipped)"
(cd "$root" && mvn -B -q -DskipTests package -pl bench -am)
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)"

rm -rf "$out"
mkdir -p "$out/lib"

echo "[bundle] linking the Java runtime"
jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$out/jre"
# libjvm.so alone carries ~5 MB of symbols
find "$out/jre" -name '*.so' -exec strip --strip-unneeded {} +

echo "[bundle] copying jars"
cp "$root/core/target/core-$version.jar" "$root/core/target/core-$version-tests.jar" \
   "$root/kernels/target/kernels-$version.jar" "$root/cifar-loader/target/cifar-loader-$version.jar" \
   "$root/nn/target/nn-$version.jar" "$root/bench/target/bench-$version.jar" "$out/lib/"
(cd "$root" && mvn -B -q "$dependency_plugin:copy-dependencies" -pl core,kernels,nn \
   -DincludeScope=runtime -DexcludeGroupIds=org.mixq -DoutputDirectory="$out/lib")
# the OpenBLAS and JavaCPP natives (20 MB) do not fit
rm -f "$out"/lib/openblas-*-linux-*.jar "$out"/lib/javacpp-*-linux-*.jar
(cd "$root" && mvn -B -q "$dependency_plugin:copy" -Dartifact="$junit_console" -DoutputDirectory="$out/lib")
mv "$out"/lib/junit-platform-console-standalone-*.jar "$out/lib/junit-platform-console-standalone.jar"

mkdir -p "$out/tests"
(cd "$out/tests" && "$jdk/bin/jar" xf "$root/kernels/target/kernels-$version-tests.jar" && rm -rf META-INF)

cp "$here/check.sh" "$here/torch_reference.py" "$out/"

total="$(du -sb "$out" | cut -f1)"
awk -v t="$total" -v o="$out" -v r="$(du -sb "$out/jre" | cut -f1)" -v l="$(du -sb "$out/lib" | cut -f1)" \
  'BEGIN { printf "[bundle] %s: %.1f MB (%.1f MiB): runtime %.1f MB, jars %.1f MB\n", o, t / 1e6, t / 1048576, r / 1e6, l / 1e6 }'
if [ "$total" -ge "$limit" ]; then
  echo "[bundle] ERROR: the bundle exceeds 64 MiB" >&2
  exit 1
fi
