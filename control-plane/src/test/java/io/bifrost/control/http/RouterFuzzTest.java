package io.bifrost.control.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for path matching: any path, with any method, is looked up without an exception, and a match's
 * captures are single segments of URL-unreserved characters whose route's literal segments equal the path's. The input
 * is {@code METHOD SP PATH} (UTF-8). In a normal build it replays the corpus under
 * {@code src/test/resources/io/bifrost/control/http/RouterFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class RouterFuzzTest
{
    private static final RouteHandler NOTHING = request -> ApiResponse.ok(null);
    private static final Router ROUTER = new Router()
        .add(HttpMethod.GET, "/healthz", Access.OPEN, NOTHING)
        .add(HttpMethod.POST, "/api/v1/streams/create", Access.OPERATOR, NOTHING)
        .add(HttpMethod.GET, "/api/v1/streams", Access.OPERATOR, NOTHING)
        .add(HttpMethod.GET, "/api/v1/streams/{id}", Access.OPERATOR, NOTHING)
        .add(HttpMethod.DELETE, "/api/v1/streams/{id}", Access.OPERATOR, NOTHING)
        .add(HttpMethod.POST, "/api/v1/streams/{id}/rotate-key", Access.OPERATOR, NOTHING)
        .add(HttpMethod.POST, "/api/v1/internal/streams/{stream_id}/status", Access.INTERNAL, NOTHING)
        .add(HttpMethod.GET, "/v1/{a}/{b}/x/{c}", Access.OPEN, NOTHING);

    @FuzzTest(maxDuration = "60s")
    void matchNeverThrowsAndCapturesOnlyUnreservedSegments(final byte[] input)
    {
        final String text = new String(input, StandardCharsets.UTF_8);
        final int space = text.indexOf(' ');
        final String methodName = space < 0 ? "GET" : text.substring(0, space);
        final String path = space < 0 ? text : text.substring(space + 1);
        for (final HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.PUT,
            methodOrGet(methodName)))
        {
            final RouteMatch match = ROUTER.match(method, path);
            assertThat(match).isNotNull();
            if (match instanceof RouteMatch.Found found)
            {
                assertThat(found.route().method()).isEqualTo(method);
                assertThat(found.params().values()).allSatisfy(value ->
                    assertThat(value).matches("[A-Za-z0-9._~-]{1," + PathTemplate.MAX_CAPTURE_LENGTH + "}"));
                String rebuilt = found.route().template().toString();
                for (final var capture : found.params().entrySet())
                {
                    rebuilt = rebuilt.replace("{" + capture.getKey() + "}", capture.getValue());
                }
                assertThat(rebuilt).isEqualTo(path);
            }
            else if (match instanceof RouteMatch.MethodNotAllowed notAllowed)
            {
                assertThat(notAllowed.allowed()).isNotEmpty().doesNotContain(method);
            }
        }
    }

    private static HttpMethod methodOrGet(final String name)
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
