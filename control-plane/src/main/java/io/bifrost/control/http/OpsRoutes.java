package io.bifrost.control.http;

import io.bifrost.protocol.node.Readiness;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.function.Supplier;

/**
 * The operations endpoints every Bifrost HTTP port answers (DESIGN.md section 7), open to anyone: {@code /healthz}
 * (the process answers), {@code /readyz} (200 when the role can take traffic, else 503 with the reason) and
 * {@code /metrics} (Prometheus text).
 */
public final class OpsRoutes
{
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private OpsRoutes()
    {
    }

    /**
     * @param router      where the routes are added.
     * @param readiness   what {@code /readyz} reports; may block briefly (it runs on an API worker).
     * @param metricsText the Prometheus scrape.
     * @return the router.
     */
    public static Router register(final Router router, final Supplier<Readiness> readiness, final Supplier<String> metricsText)
    {
        return router
            .add(HttpMethod.GET, "/healthz", Access.OPEN, request -> ApiResponse.text(HttpResponseStatus.OK, TEXT, "up\n"))
            .add(HttpMethod.GET, "/readyz", Access.OPEN, request ->
            {
                final Readiness now = readiness.get();
                return now.ready() ? ApiResponse.text(HttpResponseStatus.OK, TEXT, "ready\n") :
                    ApiResponse.text(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "not ready: " + now.detail() + "\n");
            })
            .add(HttpMethod.GET, "/metrics", Access.OPEN,
                request -> ApiResponse.text(HttpResponseStatus.OK, PROMETHEUS, metricsText.get()));
    }
}
