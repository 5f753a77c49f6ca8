package io.bifrost.control;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.bifrost.control.http.AccessGuard;
import io.bifrost.control.http.ApiDispatcher;
import io.bifrost.control.http.ApiJson;
import io.bifrost.control.http.ApiMetrics;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.bifrost.control.stream.StreamKeys;
import io.bifrost.control.stream.StreamRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for everything between a decoded HTTP request and its answer: routing, path captures, query
 * parsing, access checks and the JSON request decoding of every endpoint, against the real route table and a real
 * registry on an H2 file database. Whatever arrives, the answer is never a 500 and never an escaping exception, and a
 * JSON answer is always a well-formed envelope with a dotted error code when it is a refusal.
 *
 * <p>Input: a request line {@code METHOD SP URI LF} then the body bytes (no LF: the whole input is the URI of a GET).
 * A normal build replays the corpus under {@code src/test/resources/io/bifrost/control/ApiDispatcherFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 ./mvnw -pl control-plane test -Dtest=ApiDispatcherFuzzTest} fuzzes.
 */
class ApiDispatcherFuzzTest
{
    private static final Set<Integer> STATUSES = Set.of(200, 201, 302, 400, 401, 403, 404, 405, 409, 503);

    private static Path dir;
    private static ControlDatabase database;
    private static ApiDispatcher dispatcher;

    @BeforeAll
    static void open() throws IOException
    {
        dir = Files.createTempDirectory("control-fuzz");
        database = ControlDatabase.open(ControlDatabase.embeddedUrl(dir), 2);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final ControlPlane.Context context = new ControlPlane.Context().dataDir(dir).meterRegistry(registry).conclude();
        final StreamRegistry streams = new StreamRegistry(new JdbcStreamRepository(database),
            new StreamKeys(new SecureRandom()), Clock.systemUTC(), registry);
        dispatcher = new ApiDispatcher(ControlPlane.router(context, streams, database), new AccessGuard(null, null),
            new ApiMetrics(registry), Runnable::run);
    }

    @AfterAll
    static void close() throws IOException
    {
        database.close();
        try (var files = Files.walk(dir))
        {
            for (final Path path : files.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyRequestIsAnsweredWithAnEnvelopeAndNever500(final byte[] input) throws IOException
    {
        int newline = -1;
        for (int i = 0; i < input.length; i++)
        {
            if (input[i] == '\n')
            {
                newline = i;
                break;
            }
        }
        final String line = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.UTF_8);
        final byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(input, newline + 1, input.length);
        final int space = line.indexOf(' ');
        final HttpMethod method = method(space < 0 ? "GET" : line.substring(0, space));
        final String uri = space < 0 ? line : line.substring(space + 1);

        final FullHttpResponse response = dispatcher.respond(method, uri, new DefaultHttpHeaders(), body,
            InetAddress.getLoopbackAddress());
        try
        {
            final int status = response.status().code();
            assertThat(status).as("%s %s", method, uri).isIn(STATUSES);
            final String contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (contentType.startsWith("application/json"))
            {
                final JsonNode envelope = ApiJson.mapper().readTree(response.content().toString(StandardCharsets.UTF_8));
                assertThat(envelope.path("success").isBoolean()).isTrue();
                assertThat(envelope.path("success").booleanValue()).isEqualTo(status < 400);
                if (status >= 400)
                {
                    assertThat(envelope.path("error").path("code").asText()).matches("[a-z_]+(\\.[a-z_]+)+");
                    assertThat(envelope.path("error").path("message").asText()).isNotBlank();
                }
            }
        }
        finally
        {
            response.release();
        }
    }

    private static HttpMethod method(final String name)
    {
        try
        {
            return HttpMethod.valueOf(name);
        }
        catch (final IllegalArgumentException ex)
        {
            return HttpMethod.GET;
        }
    }
}
