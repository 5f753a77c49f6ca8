package io.bifrost.origin.http;

import io.bifrost.protocol.http.ByteRange;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiRouterTest
{
    private final ApiRouter router = new ApiRouter()
        .add("GET", "/api/v1/videos", request -> ApiResponse.ok("list"))
        .add("GET", "/api/v1/videos/{id}", request -> ApiResponse.ok("get"))
        .add("DELETE", "/api/v1/videos/{id}", request -> ApiResponse.ok("delete"))
        .add("PUT", "/api/v1/videos/{id}/captions/{lang}", request -> ApiResponse.ok("caption"));

    @Test
    void shouldCaptureNamedSegmentsOfTheMatchingRoute()
    {
        final ApiRouter.Match match = router.match("PUT", "/api/v1/videos/v1/captions/pt-BR");
        assertThat(match).isInstanceOf(ApiRouter.Found.class);
        final ApiRouter.Found found = (ApiRouter.Found)match;
        assertThat(found.parameters()).isEqualTo(Map.of("id", "v1", "lang", "pt-BR"));
        assertThat(found.handler().handle(null).data()).isEqualTo("caption");
        assertThat(((ApiRouter.Found)router.match("GET", "/api/v1/videos")).handler().handle(null).data())
            .isEqualTo("list");
    }

    @Test
    void shouldSayMethodNotAllowedWithTheAllowedMethodsWhenOnlyThePathMatches()
    {
        assertThat(router.match("POST", "/api/v1/videos/v1"))
            .isEqualTo(new ApiRouter.MethodNotAllowed(Set.of("GET", "DELETE")));
    }

    @Test
    void shouldFindNothingForUnknownMalformedOrHostilePaths()
    {
        for (final String path : new String[] {"/api/v1/videos/", "/api/v1/videos//captions/en", "/api/v1/video",
            "/api/v1/videos/../x", "/api/v1/videos/a%2Fb", "/api/v1/videos/" + "x".repeat(200), "api/v1/videos",
            "/api/v1/videos/v1/captions/en/extra", "/" + "a/".repeat(40)})
        {
            assertThat(router.match("GET", path)).as(path).isInstanceOf(ApiRouter.NotFound.class);
        }
    }

    @Test
    void shouldResolveSingleByteRangesAndIgnoreOthers()
    {
        assertThat(ByteRange.resolve("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.resolve("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.resolve("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.resolve("bytes=50-500", 100)).isEqualTo(new ByteRange(50, 99));
        assertThat(ByteRange.resolve("bytes=100-", 100)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.resolve("bytes=0-1,5-6", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("items=0-1", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=9-1", 100)).isSameAs(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=99999999999999999999-", 100)).isSameAs(ByteRange.WHOLE);
    }
}
