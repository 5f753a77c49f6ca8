package io.bifrost.control.http;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest
{
    private static final RouteHandler NOTHING = request -> ApiResponse.ok(null);

    private final Router router = new Router()
        .add(HttpMethod.POST, "/api/v1/streams/create", Access.OPERATOR, NOTHING)
        .add(HttpMethod.GET, "/api/v1/streams", Access.OPERATOR, NOTHING)
        .add(HttpMethod.GET, "/api/v1/streams/{id}", Access.OPERATOR, NOTHING)
        .add(HttpMethod.DELETE, "/api/v1/streams/{id}", Access.OPERATOR, NOTHING)
        .add(HttpMethod.POST, "/api/v1/streams/{id}/rotate-key", Access.OPERATOR, NOTHING);

    @Test
    void shouldCaptureTemplateSegments()
    {
        final RouteMatch match = router.match(HttpMethod.POST, "/api/v1/streams/st_abc/rotate-key");

        assertThat(match).isInstanceOfSatisfying(RouteMatch.Found.class, found ->
        {
            assertThat(found.params()).isEqualTo(Map.of("id", "st_abc"));
            assertThat(found.route().template()).hasToString("/api/v1/streams/{id}/rotate-key");
        });
    }

    @Test
    void shouldPreferALiteralSegmentOverACapture()
    {
        final RouteMatch create = router.match(HttpMethod.POST, "/api/v1/streams/create");
        final RouteMatch getCreate = router.match(HttpMethod.GET, "/api/v1/streams/create");

        assertThat(((RouteMatch.Found)create).route().template()).hasToString("/api/v1/streams/create");
        assertThat(((RouteMatch.Found)getCreate).params()).isEqualTo(Map.of("id", "create"));
    }

    @Test
    void shouldListTheAllowedMethodsWhenOnlyTheMethodIsWrong()
    {
        assertThat(router.match(HttpMethod.PUT, "/api/v1/streams/st_1"))
            .isEqualTo(new RouteMatch.MethodNotAllowed(Set.of(HttpMethod.GET, HttpMethod.DELETE)));
        assertThat(router.match(HttpMethod.POST, "/api/v1/streams"))
            .isEqualTo(new RouteMatch.MethodNotAllowed(Set.of(HttpMethod.GET)));
    }

    @Test
    void shouldNotMatchEmptyEscapedOrOverlongSegments()
    {
        for (final String path : new String[] {"/api/v1/streams/", "/api/v1//streams", "/api/v1/streams/a%2Fb",
            "/api/v1/streams/a b", "/api/v1/streams/" + "x".repeat(PathTemplate.MAX_CAPTURE_LENGTH + 1), "api/v1/streams",
            "", "/", "*", "http://host/api/v1/streams", "/api/v1/streams/x/rotate-key/"})
        {
            assertThat(router.match(HttpMethod.GET, path)).as(path).isInstanceOf(RouteMatch.NotFound.class);
        }
    }

    @Test
    void shouldRefuseMalformedOrClashingTemplates()
    {
        assertThatThrownBy(() -> router.add(HttpMethod.GET, "/api/v1/streams/{other}", Access.OPEN, NOTHING))
            .hasMessageContaining("clashes");
        for (final String template : new String[] {"no-slash", "/a//b", "/a/{}", "/a/{id}/{id}", "/a/{Bad}", "/a/b c", "/a/"})
        {
            assertThatThrownBy(() -> new Router().add(HttpMethod.GET, template, Access.OPEN, NOTHING)).as(template)
                .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
