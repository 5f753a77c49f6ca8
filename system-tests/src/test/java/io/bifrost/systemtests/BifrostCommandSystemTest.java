package io.bifrost.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code bifrost} command as an operator runs it: a real process, probed over HTTP, stopped with SIGTERM.
 */
class BifrostCommandSystemTest
{
    private static final Pattern OPS_LISTENING = Pattern.compile("ops endpoint listening on 127\\.0\\.0\\.1:(\\d+) \\((\\w+)\\)");
    private static final Pattern STARTED = Pattern.compile("bifrost all started in (\\d+) ms .*heap used (\\d+) MiB");
    private static final Pattern EDGE_STARTED = Pattern.compile("role edge started \\(edge on port (\\d+)\\)");

    @TempDir
    Path dataDir;

    @Test
    void shouldRunAllRolesProcessAnswerProbesAndDrainOnSigterm() throws Exception
    {
        try (BifrostProcess bifrost = BifrostProcess.start(
            "all", "--ops-port", "0", "--bind", "127.0.0.1", "--edge.port", "0", "--edge.ram-bytes", "32m",
            "--edge.ssd-bytes", "64m", "--edge.origin", "http://127.0.0.1:1", "--control.port", "0",
            "--origin.port", "0", "--ingest.rtmp-port", "0", "--ingest.srt-enabled", "false",
            "--data-dir", dataDir.toString());
             HttpClient http = HttpClient.newHttpClient())
        {
            final Matcher listening = bifrost.awaitLine(OPS_LISTENING, Duration.ofSeconds(60));
            final Matcher started = bifrost.awaitLine(STARTED, Duration.ofSeconds(60));
            final String edge = "http://127.0.0.1:" + bifrost.awaitLine(EDGE_STARTED, Duration.ofSeconds(5)).group(1);
            final String base = "http://127.0.0.1:" + listening.group(1);

            final HttpResponse<String> health = get(http, base + "/healthz");
            final HttpResponse<String> ready = get(http, base + "/readyz");
            final HttpResponse<String> metrics = get(http, base + "/metrics");

            assertThat(health.statusCode()).isEqualTo(200);
            // Every role `all` runs is built (the standalone transcode worker is not part of it: the origin
            // transcodes in-process), so the process as a whole is ready.
            final JsonNode report = new ObjectMapper().readTree(ready.body());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(report.get("roles").findValuesAsText("role")).containsExactly("control", "origin", "ingest", "edge");
            assertThat(report.get("roles").findValuesAsText("state"))
                .containsExactly("running", "running", "running", "running");
            assertThat(metrics.body())
                .contains("bifrost_build_info{", "bifrost_transport_info{transport=\"" + listening.group(2) + "\"}")
                .contains("bifrost_role_running{role=\"edge\"} 1.0", "jvm_memory_used_bytes{")
                .contains("bifrost_edge_cache_capacity_bytes{tier=\"ram\"} 3.3554432E7");
            final HttpResponse<String> edgeHealth = get(http, edge + "/healthz");
            final HttpResponse<String> noOrigin = get(http, edge + "/vod/title1/720p/0.m4s");
            final HttpResponse<String> badPath = get(http, edge + "/vod/title1/720p/00.m4s");
            assertThat(edgeHealth.statusCode()).isEqualTo(200);
            assertThat(noOrigin.statusCode()).isEqualTo(502);
            assertThat(noOrigin.body()).contains("fill.origin_unavailable");
            assertThat(badPath.statusCode()).isEqualTo(400);
            assertThat(badPath.body()).contains("path.bad_number");
            System.out.printf("bifrost all: started in %s ms, heap used %s MiB, transport %s%n",
                started.group(1), started.group(2), listening.group(2));

            final int status = bifrost.terminate(Duration.ofSeconds(30));

            assertThat(status).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
            final String output = bifrost.output();
            assertThat(output).contains("stop requested: draining control, origin, ingest, edge", "bifrost all stopped");
            assertThat(output.indexOf("role edge stopped")).as("the edge drains first, the control plane last")
                .isPositive().isLessThan(output.indexOf("role control stopped"));
        }
    }

    @Test
    void shouldFindAJdk21AndRunTheLauncherFromTheRootScriptWhateverJavaIsOnThePath() throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(
            BifrostProcess.repositoryRoot().resolve("bifrost").toString(), "version").redirectErrorStream(true);
        final Map<String, String> env = builder.environment();
        env.remove("JAVA_HOME");
        env.remove("BIFROST_JAVA_HOME");
        env.put("BIFROST_SKIP_BUILD", "1");

        final Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("bifrost \\d+\\.\\d+\\.\\d+").containsPattern("java (2[1-9]|[3-9]\\d)");
    }

    @Test
    void shouldExitWithStatusThreeWhenARoleIsNotBuilt() throws Exception
    {
        try (BifrostProcess transcode = BifrostProcess.start("transcode", "--ops-port", "0", "--bind", "127.0.0.1",
            "--data-dir", dataDir.toString()))
        {
            transcode.awaitLine(Pattern.compile("bifrost transcode: the 'transcode' role .* not built yet"),
                Duration.ofSeconds(60));
            assertThat(transcode.terminate(Duration.ofSeconds(30))).isEqualTo(3);
        }
    }

    private static HttpResponse<String> get(final HttpClient http, final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
