package io.bifrost.edge.player;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The edge's reference web player: a page at {@code /player/{id}} (VOD) and {@code /player/live/{id}} (live) built on
 * hls.js with the product brief's ABR ({@code seed-abr.js}), its scripts, and the QoE beacons it posts to
 * {@code /player/qoe}, counted into {@link QoeMeters} and handed to a beacon sink (the edge's per-content telemetry). See
 * {@link PlayerRoute} for the paths.
 *
 * <p>hls.js comes from the {@code org.webjars.npm:hls.js} WebJar on the class path (the newest on Maven Central is
 * 1.4.12), or from {@code hls.min.js} in a configured directory (for example {@code node_modules/hls.js/dist} of a
 * newer npm release). Every asset is read once at construction and served from memory; asset URLs in the page carry a
 * content hash, so they are cached for a year and the page itself is revalidated.
 *
 * <p>Thread-safe; one instance per edge, shared by every connection through {@link #newHandler()}.
 */
public final class PlayerService
{
    private static final Logger LOG = LoggerFactory.getLogger(PlayerService.class);

    /** The file a configured hls.js directory must hold. */
    public static final String HLS_JS_FILE = PlayerRoute.HLS_JS;

    /** Where the WebJar records its version. */
    static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars.npm/hls.js/pom.properties";
    private static final String RESOURCES = "player/";

    /** How a player request ended, counted as {@code bifrost.edge.player.requests{outcome}}. */
    enum Outcome
    {
        PAGE, ASSET, NOT_MODIFIED, BEACON, BAD_BEACON, NOT_FOUND, METHOD_NOT_ALLOWED, PREFLIGHT, UNAVAILABLE;

        final String tag = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private final PlayerAsset page;
    private final Map<String, PlayerAsset> assets;
    private final String hlsJsSource;
    private final QoeMeters qoe;
    private final Consumer<QoeBeacon> beacons;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    /**
     * Serve hls.js from the WebJar.
     *
     * @param registry where the player's meters go.
     */
    public PlayerService(final MeterRegistry registry)
    {
        this(registry, null);
    }

    /**
     * @param registry       where the player's meters go.
     * @param hlsJsDirectory a directory holding {@code hls.min.js} to serve instead of the WebJar's, or null.
     * @throws IllegalStateException when the directory is given but has no readable {@code hls.min.js}, or the
     *                               player's own files are missing from the class path.
     */
    public PlayerService(final MeterRegistry registry, final Path hlsJsDirectory)
    {
        this(registry, hlsJsDirectory, beacon -> { });
    }

    /**
     * @param registry       where the player's meters go.
     * @param hlsJsDirectory a directory holding {@code hls.min.js} to serve instead of the WebJar's, or null.
     * @param beacons        receives every accepted beacon after it is counted, on the connection's event loop (the
     *                       edge's per-content telemetry); must be quick.
     * @throws IllegalStateException when the directory is given but has no readable {@code hls.min.js}, or the
     *                               player's own files are missing from the class path.
     */
    public PlayerService(final MeterRegistry registry, final Path hlsJsDirectory, final Consumer<QoeBeacon> beacons)
    {
        this.beacons = beacons;
        final HlsJs hlsJs = hlsJsDirectory == null ? fromWebJar() : fromDirectory(hlsJsDirectory);
        this.hlsJsSource = hlsJs.source;
        final PlayerAsset hls = hlsJs.bytes == null ? null :
            PlayerAsset.of(hlsJs.bytes, "text/javascript; charset=utf-8", PlayerAsset.IMMUTABLE);
        final PlayerAsset seedAbr = PlayerAsset.of(resource(PlayerRoute.SEED_ABR_JS), "text/javascript; charset=utf-8",
            PlayerAsset.IMMUTABLE);
        final PlayerAsset script = PlayerAsset.of(resource(PlayerRoute.PLAYER_JS), "text/javascript; charset=utf-8",
            PlayerAsset.IMMUTABLE);
        final String template = new String(resource("player.html"), StandardCharsets.UTF_8);
        this.page = PlayerAsset.text(template
                .replace("{{hlsjs}}", assetUrl(PlayerRoute.HLS_JS, hls))
                .replace("{{hlsjsSource}}", hlsJs.source)
                .replace("{{seedAbr}}", assetUrl(PlayerRoute.SEED_ABR_JS, seedAbr))
                .replace("{{player}}", assetUrl(PlayerRoute.PLAYER_JS, script)),
            "text/html; charset=utf-8", PlayerAsset.REVALIDATE);
        final Map<String, PlayerAsset> files = new java.util.HashMap<>();
        if (hls != null)
        {
            files.put(PlayerRoute.HLS_JS, hls);
        }
        files.put(PlayerRoute.SEED_ABR_JS, seedAbr);
        files.put(PlayerRoute.PLAYER_JS, script);
        this.assets = Map.copyOf(files);
        this.qoe = new QoeMeters(registry);
        for (final Outcome outcome : Outcome.values())
        {
            outcomes.put(outcome, Counter.builder("bifrost.edge.player.requests")
                .description("requests to the reference player's paths, by how they ended")
                .tag("outcome", outcome.tag)
                .register(registry));
        }
        LOG.info("edge player pages at /player/ID use {}", hlsJs.source);
    }

    /**
     * @return a handler for one connection (or one HTTP/2 stream), to sit before the edge's request handler: it answers
     *         {@code /player} requests and passes every other message on untouched.
     */
    public ChannelHandler newHandler()
    {
        return new PlayerHandler(this, null);
    }

    /**
     * @param onRequestHead called for every request head the handler answers itself (the HTTP/1.1 head deadline's
     *                      {@code headComplete}); null for none.
     * @return a handler for one connection, as {@link #newHandler()}.
     */
    public ChannelHandler newHandler(final Runnable onRequestHead)
    {
        return new PlayerHandler(this, onRequestHead);
    }

    /**
     * @return the QoE meters, whose {@link QoeMeters#totals()} the edge's telemetry may report.
     */
    public QoeMeters qoe()
    {
        return qoe;
    }

    /**
     * @return where hls.js comes from, e.g. {@code hls.js 1.4.12 (WebJar)}.
     */
    public String hlsJsSource()
    {
        return hlsJsSource;
    }

    /**
     * Count an accepted beacon and hand it to the beacon sink.
     */
    void accept(final QoeBeacon beacon)
    {
        qoe.record(beacon);
        beacons.accept(beacon);
    }

    PlayerAsset page()
    {
        return page;
    }

    /**
     * @param name an asset file name from {@link PlayerRoute}.
     * @return the asset, or null when it is not available (hls.js missing).
     */
    PlayerAsset asset(final String name)
    {
        return assets.get(name);
    }

    void count(final Outcome outcome)
    {
        outcomes.get(outcome).increment();
    }

    private static String assetUrl(final String name, final PlayerAsset asset)
    {
        return "/player/assets/" + name + "?v=" + (asset == null ? "missing" : PlayerAsset.version(asset.bytes()));
    }

    private record HlsJs(byte[] bytes, String source)
    {
    }

    private static HlsJs fromWebJar()
    {
        final ClassLoader loader = PlayerService.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(WEBJAR_PROPERTIES))
        {
            if (in == null)
            {
                LOG.warn("hls.js WebJar is not on the class path: /player pages will not play");
                return new HlsJs(null, "no hls.js");
            }
            final Properties properties = new Properties();
            properties.load(in);
            final String version = properties.getProperty("version");
            try (InputStream js = loader.getResourceAsStream(
                "META-INF/resources/webjars/hls.js/" + version + "/dist/hls.min.js"))
            {
                if (js == null)
                {
                    LOG.warn("hls.js WebJar {} has no dist/hls.min.js: /player pages will not play", version);
                    return new HlsJs(null, "no hls.js");
                }
                return new HlsJs(js.readAllBytes(), "hls.js " + version + " (WebJar)");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the hls.js WebJar", ex);
        }
    }

    private static HlsJs fromDirectory(final Path directory)
    {
        final Path file = directory.resolve(PlayerRoute.HLS_JS);
        try
        {
            final byte[] bytes = Files.readAllBytes(file);
            final String version = npmVersion(directory.resolve("../package.json").normalize());
            return new HlsJs(bytes, "hls.js " + (version == null ? "" : version + " ") + "from " + file);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("edge player: cannot read " + file + " (" + ex.getMessage() +
                "); point the hls.js directory at a folder holding hls.min.js, e.g. node_modules/hls.js/dist", ex);
        }
    }

    /**
     * @param packageJson an npm package.json (the one beside {@code dist/} in an npm install).
     * @return its top-level {@code version}, or null when the file is absent, unreadable or has none.
     */
    static String npmVersion(final Path packageJson)
    {
        if (!Files.isRegularFile(packageJson))
        {
            return null;
        }
        try (JsonParser parser = new JsonFactory().createParser(packageJson.toFile()))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME)
            {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("version".equals(field) && value == JsonToken.VALUE_STRING)
                {
                    final String version = parser.getText();
                    return version.matches("[0-9A-Za-z.+-]{1,32}") ? version : null;
                }
                parser.skipChildren();
            }
            return null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static byte[] resource(final String name)
    {
        try (InputStream in = PlayerService.class.getClassLoader().getResourceAsStream(RESOURCES + name))
        {
            if (in == null)
            {
                throw new IllegalStateException("edge player: " + RESOURCES + name + " is missing from the class path");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("edge player: cannot read " + RESOURCES + name, ex);
        }
    }
}
