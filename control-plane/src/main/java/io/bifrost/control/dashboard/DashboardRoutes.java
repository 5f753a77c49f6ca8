package io.bifrost.control.dashboard;

import io.bifrost.control.http.Access;
import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.ApiRequest;
import io.bifrost.control.http.ApiResponse;
import io.bifrost.control.http.Router;
import io.bifrost.control.telemetry.ContentNames;
import io.bifrost.control.telemetry.TelemetryAggregator;
import io.bifrost.control.telemetry.TelemetryWindow;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The web dashboard: {@code GET /dashboard} (HTML), {@code /dashboard/dashboard.js} and {@code /dashboard/dashboard.css}
 * are {@link Access#OPEN} (they hold no data); the page reads operator endpoints ({@link Access#OPERATOR}), sending
 * the admin token the operator typed (kept in the tab's sessionStorage) as a bearer token, or nothing on loopback:
 * {@code /api/v1/edges}, {@code /api/v1/streams?status=live}, and the three served here:
 * {@code GET /api/v1/dashboard/traffic} (the {@link TrafficHistory}),
 * {@code GET /api/v1/dashboard/hot-content?limit=} ({@link HotContentRanking}, default 10, at most 100; else 400
 * {@code limit.invalid}) and {@code GET /api/v1/dashboard/experience?content=} (viewers' experience per minute over the
 * last hour from the telemetry's hour window, fleet-wide or of one content; a content id not shaped
 * {@code live|vod/{id}} is 400 {@code content.invalid}).
 *
 * <p>The assets are read from the classpath once, at construction. The page carries a Content-Security-Policy that
 * allows only its own script, style and API ({@code 'self'}): no inline script, nothing from another origin.
 */
public final class DashboardRoutes
{
    /** Default number of hot contents. */
    static final int DEFAULT_HOT_LIMIT = 10;
    /** Most hot contents. */
    static final int MAX_HOT_LIMIT = 100;

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";


    private final TrafficHistory history;
    private final HotContentRanking hotContent;
    private final TelemetryAggregator telemetry;
    private final LongSupplier clock;
    private final String html;
    private final String script;
    private final String style;

    /**
     * The traffic history as the API shows it.
     *
     * @param intervalSeconds time between samples.
     * @param capacity        most samples kept.
     * @param samples         oldest first; each covers the trailing minute.
     */
    record TrafficView(double intervalSeconds, int capacity, List<TrafficSample> samples)
    {
    }

    /**
     * Viewers' experience minute by minute.
     *
     * @param content       the content, or null for every content.
     * @param bucketSeconds the length of one point.
     * @param samples       oldest first, one per minute that had experience, over the last hour.
     */
    record ExperienceView(String content, double bucketSeconds, List<ExperiencePoint> samples)
    {
    }

    /**
     * The hot list.
     *
     * @param contents highest score first.
     */
    record HotContentView(List<HotContent> contents)
    {
    }

    /**
     * @param history    fleet traffic over time (its telemetry also gives the experience per minute).
     * @param hotContent the popularity ranking.
     * @param clock      epoch milliseconds.
     * @throws IllegalStateException when an asset is missing from the classpath (a packaging error).
     */
    public DashboardRoutes(final TrafficHistory history, final HotContentRanking hotContent, final LongSupplier clock)
    {
        this.history = history;
        this.hotContent = hotContent;
        this.telemetry = history.telemetry();
        this.clock = clock;
        this.html = asset("index.html");
        this.script = asset("dashboard.js");
        this.style = asset("dashboard.css");
    }

    /**
     * @param router where the routes are added.
     * @return the router.
     */
    public Router register(final Router router)
    {
        return router
            .add(HttpMethod.GET, "/dashboard", Access.OPEN,
                request -> page("text/html; charset=utf-8", html).withHeader("Content-Security-Policy", CSP))
            .add(HttpMethod.GET, "/dashboard/dashboard.js", Access.OPEN,
                request -> page("text/javascript; charset=utf-8", script))
            .add(HttpMethod.GET, "/dashboard/dashboard.css", Access.OPEN,
                request -> page("text/css; charset=utf-8", style))
            .add(HttpMethod.GET, "/api/v1/dashboard/traffic", Access.OPERATOR, request -> ApiResponse.ok(
                new TrafficView(history.intervalMs() / 1000.0, history.capacity(), history.samples())))
            .add(HttpMethod.GET, "/api/v1/dashboard/hot-content", Access.OPERATOR, request -> ApiResponse.ok(
                new HotContentView(hotContent.top(request.intQueryParam("limit", DEFAULT_HOT_LIMIT, 1, MAX_HOT_LIMIT),
                    clock.getAsLong()))))
            .add(HttpMethod.GET, "/api/v1/dashboard/experience", Access.OPERATOR, this::experience);
    }

    private ApiResponse experience(final ApiRequest request)
    {
        final String content = request.queryParam("content");
        if (content != null && !ContentNames.CONTENT_ID.matcher(content).matches())
        {
            throw ApiException.badRequest("content.invalid",
                "'content' must be live/{id} or vod/{id} with an id of 1-64 of [A-Za-z0-9_-]");
        }
        final List<ExperiencePoint> samples = telemetry.experiencePerMinute(content, clock.getAsLong()).stream()
            .map(ExperiencePoint::of).toList();
        return ApiResponse.ok(new ExperienceView(content, TelemetryWindow.HOUR.bucketMs() / 1000.0, samples));
    }

    private static ApiResponse page(final String contentType, final String body)
    {
        return ApiResponse.text(HttpResponseStatus.OK, contentType, body)
            .withHeader("X-Content-Type-Options", "nosniff")
            .withHeader("Referrer-Policy", "no-referrer");
    }

    private static String asset(final String name)
    {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream("/dashboard/" + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("dashboard asset /dashboard/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read dashboard asset " + name, ex);
        }
    }
}
