package io.bifrost.perf;

import io.bifrost.launcher.BuildInfo;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;

import static org.assertj.core.api.Assertions.assertThat;

class JmhMainTest
{
    @Test
    void shouldPassBifrostJvmFlagsToEveryFork() throws Exception
    {
        final Options options = JmhMain.forkOptions(new CommandLineOptions("LivePartCodec", "-f", "1"));

        assertThat(options.getJvmArgsAppend().get())
            .containsAll(BuildInfo.jvmFlags())
            .contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dchronicle.analytics.disable=true");
        assertThat(options.getIncludes()).containsExactly("LivePartCodec");
    }

    @Test
    void shouldRegisterTheBenchmarksWithJmhAtCompileTime()
    {
        assertThat(BenchmarkList.defaultList().getAll(null, java.util.List.of()))
            .extracting(b -> b.getUsername())
            .contains("io.bifrost.perf.codec.LivePartCodecBenchmark.encode",
                "io.bifrost.perf.codec.LivePartCodecBenchmark.decode",
                "io.bifrost.perf.request.RequestAdmissionBenchmark.verifyToken",
                "io.bifrost.perf.edge.RamTierHitBenchmark.ramTierHit");
    }
}
