#!/usr/bin/env bash
# The JCuda path's own tests on a GPU machine that has no Java and no Maven (the device tool's machine):
#   gpu-transcoder/src/test/gpu/java-route.sh pack    here: build gpu-transcoder/target/gpu-java-route/ (a jlinked
#                                                     runtime, the module's classes and test classes, the jars the
#                                                     cuda tests need, and GpuTestMain) and its .tgz (about 50 MB)
#   gpu-transcoder/src/test/gpu/java-route.sh run     there (or here): run every test of io.bifrost.transcoder.cuda
#                                                     with that runtime, one line per test and a summary
# On the device (one call; the pack travels with carry):
#   run(command="gpu-transcoder/src/test/gpu/java-route.sh run > $OUT/java-route.txt 2>&1; rc=$?; cat $OUT/java-route.txt; exit $rc",
#       carry=["gpu-transcoder/target/gpu-java-route.tgz"], timeout_s=300)
# Exit status of run: 0 tests ran and passed; 1 a test failed; 3 a test was skipped for want of a CUDA device (the GPU
# was not verified: what `run` gives on a machine without a GPU); 2 the pack is missing. The device needs no Java, no
# Maven and no ffmpeg: the cuda tests use generated frames.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
pack="$root/gpu-transcoder/target/gpu-java-route"

case "${1:-}" in
  pack)
    # shellcheck source=../../../../scripts/find-jdk.sh
    . "$root/scripts/find-jdk.sh"
    require_jdk java-route.sh
    jdk="$(dirname "$(dirname "$JAVA")")"
    cd "$root"
    ./mvnw -q -B -o install -Dmaven.test.skip=true -Dbifrost.release.skip=true -pl protocol,gpu-transcoder
    ./mvnw -q -B -o -pl gpu-transcoder test-compile -Dbifrost.release.skip=true
    ./mvnw -q -B -o -pl gpu-transcoder dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$root/gpu-transcoder/target/gpu-java-route.classpath" >/dev/null
    rm -rf "$pack"
    mkdir -p "$pack/lib" "$pack/main"
    # what the cuda tests load: JCuda and its natives, Agrona, Micrometer, logging, JUnit, AssertJ (the job log's
    # Chronicle, the fuzzers and the property-test engine stay home)
    tr ':' '\n' < "$root/gpu-transcoder/target/gpu-java-route.classpath" \
      | grep -Ev '/(jazzer|jqwik|chronicle|posix|jna|jnr|jffi|affinity|compiler|asm|aeron|commons-cli|annotations)-[^/]*\.jar$' \
      | xargs -I{} cp {} "$pack/lib/"
    cp -r gpu-transcoder/target/classes "$pack/classes"
    cp -r gpu-transcoder/target/test-classes "$pack/test-classes"
    "$jdk/bin/javac" -d "$pack/main" -cp "$pack/lib/*" gpu-transcoder/src/test/gpu/GpuTestMain.java
    "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.management,jdk.unsupported \
      --strip-debug --no-man-pages --no-header-files --output "$pack/runtime"
    tar czf "$pack.tgz" -C "$(dirname "$pack")" "$(basename "$pack")"
    du -sh "$pack" "$pack/runtime" "$pack/lib" "$pack.tgz" | sed 's/^/java-route.sh: /'
    ;;
  run)
    if [ ! -x "$pack/runtime/bin/java" ] && [ -f "$pack.tgz" ]; then
      tar xzf "$pack.tgz" -C "$(dirname "$pack")"
    fi
    if [ ! -x "$pack/runtime/bin/java" ]; then
      echo "java-route.sh: no pack at $pack; run 'java-route.sh pack' on the build machine and carry it" >&2
      exit 2
    fi
    command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    cd "$root/gpu-transcoder" # PtxFreshnessTest reads src/main/cuda, as under Maven
    # the build's JVM flags (pom.xml bifrost.jvm.flags, STACK.md) that the modules of this runtime have
    exec "$pack/runtime/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
      --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED \
      --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED \
      --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
      -cp "$pack/main:$pack/test-classes:$pack/classes:$pack/lib/*" GpuTestMain "${2:-io.bifrost.transcoder.cuda}"
    ;;
  *)
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
