#!/usr/bin/env bash
# Builds what a GPU machine without Java or LLVM needs to run tfjit's GPU checks and benchmark:
#   OUT/jdk/       a jlinked JDK 25 image holding only the modules the runtime needs
#   OUT/lib/       tfjit-ir.jar, tfjit-runtime.jar and tfjit-gpu-tools.jar (GpuCheck, GpuBench)
#   OUT/cases/     the GPU differential cases as AOT GPU artifacts (PTX + cubin), inputs and the
#                  interpreter's results, written here where LLVM is
#   OUT/programs/  the GPU benchmark's programs (GpuBenchPrograms)
#   OUT/run.sh     the command to run there: ./run.sh check | bench [RESULTS.md] | all
# usage: tools/gpu-bundle.sh [OUT_DIR (default target/gpu-bundle)] [SM (default sm_90)]
# The bundle must stay under 64 MiB (what a device machine takes); the size is printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/target/gpu-bundle}")"
SM="${2:-sm_90}"
LIMIT=$((64 * 1024 * 1024))
JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$JDK/bin/jlink" ]] || JDK=/usr/lib/jvm/temurin-25-jdk-amd64
[[ -x "$JDK/bin/jlink" ]] || { echo "gpu-bundle: needs a JDK 25 with jlink (set JAVA_HOME)" >&2; exit 1; }
JAVA="$JDK/bin/java --enable-native-access=ALL-UNNAMED"

echo "gpu-bundle: building the jars and test classes (offline)" >&2
CP_NAME=target/gpu-bundle.classpath
(cd "$ROOT" && mvn -B -q -o -pl codegen-ptx,benchmarks -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile="$CP_NAME" -Dmdep.includeScope=test)

rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/cases" "$OUT/programs"

# The writers need LLVM; they run here.
PTX_CP="$ROOT/codegen-ptx/target/test-classes:$ROOT/codegen-ptx/target/classes:$(cat "$ROOT/codegen-ptx/$CP_NAME")"
BENCH_CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/$CP_NAME")"
$JAVA -cp "$PTX_CP" dev.tfjit.codegen.ptx.GpuCaseArtifacts "$OUT/cases" "$SM" >/dev/null
$JAVA -cp "$BENCH_CP" dev.tfjit.benchmarks.gpu.GpuBenchPrograms "$OUT/programs" "$SM" >/dev/null

cp "$ROOT"/ir/target/tfjit-ir-*.jar "$OUT/lib/tfjit-ir.jar"
cp "$ROOT"/runtime/target/tfjit-runtime-*.jar "$OUT/lib/tfjit-runtime.jar"
# Only the GPU runners (they need nothing beyond the ir and runtime jars).
"$JDK/bin/jar" --create --file "$OUT/lib/tfjit-gpu-tools.jar" -C "$ROOT/benchmarks/target/classes" dev/tfjit/benchmarks/gpu

LIBS="$OUT/lib/tfjit-ir.jar:$OUT/lib/tfjit-runtime.jar:$OUT/lib/tfjit-gpu-tools.jar"
MODULES="$("$JDK/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps -cp "$LIBS" \
    "$OUT/lib/tfjit-gpu-tools.jar" "$OUT/lib/tfjit-runtime.jar" "$OUT/lib/tfjit-ir.jar")"
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
    --output "$OUT/jdk"

cat > "$OUT/run.sh" <<'RUN'
#!/bin/sh
# Runs tfjit's GPU checks and benchmark with the bundled JDK (no other Java, no LLVM, no CUDA toolkit:
# only the NVIDIA driver, libcuda.so.1). usage: ./run.sh check | bench [RESULTS.md] | all [RESULTS.md]
DIR="$(cd "$(dirname "$0")" && pwd)"
run() { "$DIR/jdk/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "$DIR/lib/tfjit-ir.jar:$DIR/lib/tfjit-runtime.jar:$DIR/lib/tfjit-gpu-tools.jar" "$@"; }
case "${1:-all}" in
  check) run dev.tfjit.benchmarks.gpu.GpuCheck "$DIR/cases" ;;
  bench) run dev.tfjit.benchmarks.gpu.GpuBench "$DIR/programs" "${2:-$DIR/gpu-results.md}" ;;
  all) run dev.tfjit.benchmarks.gpu.GpuCheck "$DIR/cases" && run dev.tfjit.benchmarks.gpu.GpuBench "$DIR/programs" "${2:-$DIR/gpu-results.md}" ;;
  *) echo "usage: $0 check | bench [RESULTS.md] | all [RESULTS.md]" >&2; exit 2 ;;
esac
RUN
chmod +x "$OUT/run.sh"

BYTES="$(du -sb "$OUT" | cut -f1)"
printf 'gpu-bundle: %s: %.1f MiB (jdk %.1f MiB with %s; lib %.2f MiB; cases %.2f MiB; programs %.2f MiB), target %s\n' \
    "$OUT" "$(echo "$BYTES / 1048576" | bc -l)" \
    "$(echo "$(du -sb "$OUT/jdk" | cut -f1) / 1048576" | bc -l)" "$MODULES" \
    "$(echo "$(du -sb "$OUT/lib" | cut -f1) / 1048576" | bc -l)" \
    "$(echo "$(du -sb "$OUT/cases" | cut -f1) / 1048576" | bc -l)" \
    "$(echo "$(du -sb "$OUT/programs" | cut -f1) / 1048576" | bc -l)" "$SM"
if (( BYTES > LIMIT )); then
  echo "gpu-bundle: the bundle is over 64 MiB" >&2
  exit 1
fi
echo "run there: $OUT/run.sh all   (or: run.sh check, run.sh bench RESULTS.md)"
