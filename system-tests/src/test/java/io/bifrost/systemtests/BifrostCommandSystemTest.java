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

    @TempDir
    Path dataDir;

    @Test
    void shouldRunAllRolesProcessAnswerProbesAndDrainOnSigterm() throws Exception
    {
        try (BifrostProcess bifrost = BifrostProcess.start(
            "all", "--ops-port", "0", "--bind", "127.0.0.1", "--data-dir", dataDir.toString());
             HttpClient http = HttpClient.newHttpClient())
        {
            final Matcher listening = bifrost.awaitLine(OPS_LISTENING, Duration.ofSeconds(60));
            final Matcher started = bifrost.awaitLine(STARTED, Duration.ofSeconds(60));
            final String base = "http://127.0.0.1:" + listening.group(1);

            final HttpResponse<String> health = get(http, base + "/healthz");
            final HttpResponse<String> ready = get(http, base + "/readyz");
            final HttpResponse<String> metrics = get(http, base + "/metrics");

            assertThat(health.statusCode()).isEqualTo(200);
            // No role is built yet (issues #3-#7), so the process must say it is not ready, and why, per role.
            assertThat(ready.statusCode()).isEqualTo(503);
            final JsonNode report = new ObjectMapper().readTree(ready.body());
            assertThat(report.get("roles")).hasSize(5);
            assertThat(report.get("roles").findValuesAsText("state")).containsOnly("not_built");
            assertThat(metrics.body())
                .contains("bifrost_build_info{", "bifrost_transport_info{transport=\"" + listening.group(2) + "\"}")
                .contains("bifrost_role_running{role=\"edge\"} 0.0", "jvm_memory_used_bytes{");
            System.out.printf("bifrost all: started in %s ms, heap used %s MiB, transport %s%n",
                started.group(1), started.group(2), listening.group(2));

            final int status = bifrost.terminate(Duration.ofSeconds(30));

            assertThat(status).as("exit status after SIGTERM (128 + 15)").isEqualTo(143);
            assertThat(bifrost.output()).contains("stop requested: draining", "bifrost all stopped");
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
        try (BifrostProcess edge = BifrostProcess.start("edge", "--ops-port", "0", "--bind", "127.0.0.1",
            "--origin", "http://127.0.0.1:1", "--data-dir", dataDir.toString()))
        {
            edge.awaitLine(Pattern.compile("bifrost edge: the 'edge' role .* not built yet"), Duration.ofSeconds(60));
            assertThat(edge.terminate(Duration.ofSeconds(30))).isEqualTo(3);
        }
    }

    private static HttpResponse<String> get(final HttpClient http, final String url) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
