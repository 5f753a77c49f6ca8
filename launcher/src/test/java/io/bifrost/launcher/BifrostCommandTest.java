package io.bifrost.launcher;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BifrostCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final Map<String, String> env, final String... args)
    {
        return new Bifrost(env, new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void shouldPrintVersionRuntimeAndTransport()
    {
        final int status = run(Map.of(), "version");

        assertThat(status).isEqualTo(Bifrost.EXIT_OK);
        assertThat(out.toString()).contains("bifrost 0.1.0", "java " + Runtime.version().feature(), "netty transport ");
    }

    @Test
    void shouldListEveryCommandInTheTopLevelHelp()
    {
        final int status = run(Map.of(), "--help");

        assertThat(status).isEqualTo(Bifrost.EXIT_OK);
        assertThat(out.toString()).contains("all", "edge", "origin", "ingest", "control", "transcode", "config", "version",
            "Exit status");
    }

    @Test
    void shouldExplainEachRoleSettingWithItsDefaultAndEnvironmentVariable()
    {
        final int status = run(Map.of(), "edge", "--help");

        assertThat(status).isEqualTo(Bifrost.EXIT_OK);
        assertThat(out.toString().replaceAll("\\s+", " ")) // picocli wraps descriptions at its column width
            .contains("--port, --edge.port", "default 8080", "BIFROST_EDGE_PORT")
            .contains("--origin, --edge.origin", "failover order", "repeat the flag")
            .contains("--data-dir", "--ops-port")
            .doesNotContain("--origin.port", "--rtmp-port");
    }

    @Test
    void shouldPrintTheEffectiveConfigWithWhereEachValueCameFrom()
    {
        final int status = run(Map.of("BIFROST_EDGE_REGION", "eu-west", "BIFROST_EDGE_SIGNING_KEYS", "k1:c2VjcmV0c2VjcmV0"),
            "config", "--effective", "edge", "--edge.port", "9999", "--edge.origin", "http://o1:8081",
            "--edge.origin", "http://o2:8081");

        assertThat(status).isEqualTo(Bifrost.EXIT_OK);
        assertThat(out.toString())
            .containsPattern("edge.port = 9999 +# from --edge.port")
            .containsPattern("edge.region = eu-west +# from BIFROST_EDGE_REGION")
            .contains("edge.origin = http://o1:8081,http://o2:8081")
            .containsPattern("data-dir = data +# default")
            .containsPattern("edge.signing-keys = \\*{8} +# from BIFROST_EDGE_SIGNING_KEYS")
            .doesNotContain("c2VjcmV0c2VjcmV0")
            .doesNotContain("origin.port", "ingest.");
    }

    @Test
    void shouldRejectAnUnknownFlagWithASuggestion()
    {
        final int status = run(Map.of(), "edge", "--prot", "1");

        assertThat(status).isEqualTo(Bifrost.EXIT_USAGE);
        assertThat(err.toString()).contains("Unknown options: '--prot'", "did you mean --edge.port?", "bifrost edge --help");
    }

    @Test
    void shouldRejectABadValueNamingTheFlag()
    {
        final int status = run(Map.of(), "edge", "--port", "99999", "--ops-port", "0", "--bind", "127.0.0.1");

        assertThat(status).isEqualTo(Bifrost.EXIT_USAGE);
        assertThat(err.toString()).contains("edge.port (from --edge.port): expected a port between 0 and 65535");
    }

    @Test
    void shouldExitWithNotBuiltStatusAndSayWhichIssueBuildsTheRole()
    {
        final int status = run(Map.of(), "transcode", "--ops-port", "0", "--bind", "127.0.0.1");

        assertThat(status).isEqualTo(Bifrost.EXIT_NOT_BUILT);
        assertThat(err.toString()).contains("bifrost transcode: the 'transcode' role", "is not built yet",
            "origin.transcode-workers", "issue #4");
    }

    @Test
    void shouldAskForACommandWhenNoneIsGiven()
    {
        final int status = run(Map.of());

        assertThat(status).isEqualTo(Bifrost.EXIT_USAGE);
        assertThat(err.toString()).contains("Usage: bifrost");
    }
}
