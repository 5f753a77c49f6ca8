package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.SegmentAwarePolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.protocol.node.Readiness;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlSigner;
import io.bifrost.protocol.signing.UrlToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real player's URL resolution against the path form: ffmpeg (its HLS and DASH demuxers resolve relative URIs the
 * way players do) reads a real fMP4 title that ffmpeg made (320x240, 3 s, 1 s segments), through a real edge that
 * protects {@code /vod/}, given only the master playlist's or the MPD's signed URL. With the token in the path it
 * reads every segment; with {@code ?token=} the rendition playlist it resolves has no token and is refused, which is
 * the problem the path form solves. Skipped with the reason where ffmpeg is not installed.
 */
class SignedPathFfmpegTest
{
    private static final String TITLE = "/vod/clip1/";
    private static final SigningKeyRing KEYS = new SigningKeyRing(
        new SigningKey("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TestOrigin origin;
    private RamTier ram;
    private EdgeHttpServer edge;

    @BeforeEach
    void setUp() throws Exception
    {
        assumeTrue(ffmpegRuns(), "ffmpeg is not installed (apt-get install ffmpeg)");
        final Path out = dir.resolve("title");
        Files.createDirectories(out.resolve("360p"));
        final Process encode = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac",
            "-f", "hls", "-hls_time", "1", "-hls_segment_type", "fmp4", "-hls_playlist_type", "vod",
            "-hls_fmp4_init_filename", "init.mp4", "-hls_segment_filename", "360p/%d.m4s", "360p/index.m3u8")
            .directory(out.toFile()).redirectErrorStream(true).start();
        final String log = new String(encode.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(encode.waitFor()).as(log).isZero();

        origin = new TestOrigin();
        try (var files = Files.list(out.resolve("360p")))
        {
            for (final Path file : files.toList())
            {
                origin.put(TITLE + "360p/" + file.getFileName(), Files.readAllBytes(file));
            }
        }
        assertThat(origin.requests(TITLE + "360p/2.m4s")).isZero();
        origin.put(TITLE + "master.m3u8", ("#EXTM3U\n#EXT-X-VERSION:7\n" +
            "#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=320x240,CODECS=\"avc1.42c00d,mp4a.40.2\"\n360p/index.m3u8\n")
            .getBytes(StandardCharsets.UTF_8));
        origin.put(TITLE + "manifest.mpd", """
            <?xml version="1.0" encoding="UTF-8"?>
            <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT3S" minBufferTime="PT1S" profiles="urn:mpeg:dash:profile:isoff-live:2011">
              <Period id="0" start="PT0S">
                <AdaptationSet id="0" segmentAlignment="true" mimeType="video/mp4">
                  <Representation id="360p" codecs="avc1.42c00d,mp4a.40.2" bandwidth="400000" width="320" height="240">
                    <SegmentTemplate timescale="1000" initialization="$RepresentationID$/init.mp4" media="$RepresentationID$/$Number$.m4s" startNumber="0">
                      <SegmentTimeline><S t="0" d="1000" r="2"/></SegmentTimeline>
                    </SegmentTemplate>
                  </Representation>
                </AdaptationSet>
              </Period>
            </MPD>
            """.getBytes(StandardCharsets.UTF_8));
        ram = RamTier.open(dir.resolve("ram"), 64L << 20, 16 * 1024, 8L << 20, SegmentAwarePolicy::new, registry);
        edge = EdgeHttpServer.start(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).ioThreads(2)
            .origins(List.of(origin.uri())).signedPrefixes(List.of("/vod/")).signingKeys(KEYS).meterRegistry(registry),
            ram, Readiness::up);
    }

    @AfterEach
    void tearDown()
    {
        if (edge != null)
        {
            edge.close();
            ram.close();
            origin.close();
        }
    }

    private static boolean ffmpegRuns()
    {
        try
        {
            final Process version = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        }
        catch (final IOException | InterruptedException ex)
        {
            return false;
        }
    }

    /** ffmpeg reads every packet of the URL (no decoding); answers its exit code and stderr. */
    private static Result read(final String url) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
            "-i", url, "-map", "0", "-c", "copy", "-f", "null", "-"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg finished: " + log).isTrue();
        return new Result(process.exitValue(), log);
    }

    private record Result(int exit, String log)
    {
    }

    private String base()
    {
        return "http://127.0.0.1:" + edge.port();
    }

    private static String token()
    {
        return new UrlSigner(KEYS).sign(TITLE, Instant.now().plusSeconds(600));
    }

    @Test
    void shouldLetFfmpegReadTheWholeHlsTitleFromTheMasterUrlAloneWithTheTokenInThePath() throws Exception
    {
        final Result hls = read(base() + UrlToken.inPath(token(), TITLE + "master.m3u8"));

        assertThat(hls.exit()).as(hls.log()).isZero();
        for (final String file : List.of("360p/index.m3u8", "360p/init.mp4", "360p/0.m4s", "360p/1.m4s", "360p/2.m4s"))
        {
            assertThat(origin.requests(TITLE + file)).as(file + " was fetched through the edge").isEqualTo(1);
        }
        assertThat(registry.find("bifrost.edge.tokens").tag("verdict", "missing").counter().count()).isZero();
    }

    @Test
    void shouldLetFfmpegReadTheDashTitleFromTheMpdUrlAloneWithTheTokenInThePath() throws Exception
    {
        final Result dash = read(base() + UrlToken.inPath(token(), TITLE + "manifest.mpd"));

        assertThat(dash.exit()).as(dash.log()).isZero();
        assertThat(origin.requests(TITLE + "360p/init.mp4")).isEqualTo(1);
        assertThat(origin.requests(TITLE + "360p/2.m4s")).isEqualTo(1);
        assertThat(registry.find("bifrost.edge.tokens").tag("verdict", "missing").counter().count()).isZero();
    }

    @Test
    void shouldLoseTheQueryTokenAtTheFirstRelativeUriWhichIsWhyThePathFormExists() throws Exception
    {
        final Result hls = read(base() + TITLE + "master.m3u8?token=" + token());

        assertThat(hls.exit()).as("ffmpeg cannot read past the master playlist").isNotZero();
        assertThat(hls.log()).contains("403");
        assertThat(registry.find("bifrost.edge.tokens").tag("verdict", "missing").counter().count()).isPositive();
        assertThat(origin.requests(TITLE + "360p/0.m4s")).isZero();
    }
}
