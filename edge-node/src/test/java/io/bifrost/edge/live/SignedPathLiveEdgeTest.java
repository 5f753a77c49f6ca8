package io.bifrost.edge.live;

import io.bifrost.edge.http.ManifestUris;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.signing.SigningKey;
import io.bifrost.protocol.signing.SigningKeyRing;
import io.bifrost.protocol.signing.UrlSigner;
import io.bifrost.protocol.signing.UrlToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.bifrost.edge.live.LiveEdgeFixture.EPOCH;
import static io.bifrost.edge.live.LiveEdgeFixture.STREAM;
import static io.bifrost.edge.live.LiveEdgeFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed LL-HLS and DASH live playback with the token in the path ({@code /t/{token}/live/...}): an edge following
 * a live stream of two renditions over Aeron ({@link LiveEdgeFixture}: two embedded media drivers over UDP loopback,
 * as in {@link LiveEdgeTest}), under {@code edge.signed-prefixes} {@code /live/}. Like a player, the test is given only the
 * master playlist's and the MPD's URLs and resolves every relative URI against the URL it fetched: rendition
 * playlists, init segments (from the origin), segments, parts, rendition reports ({@code ../360p/index.m3u8}), then
 * the preload-hinted part and a blocking reload, which the edge holds until the part arrives over Aeron.
 */
class SignedPathLiveEdgeTest
{
    private static final List<String> RENDITIONS = List.of("720p", "360p");
    private static final Pattern PRELOAD_HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([^\"]+)\"");
    private static final SigningKeyRing KEYS = new SigningKeyRing(
        new SigningKey("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));

    @RegisterExtension
    final LiveEdgeFixture edge = new LiveEdgeFixture()
        .edgeContext(context -> context.signedPrefixes(List.of("/live/")).signingKeys(KEYS));

    private long msn;
    private int part;

    @BeforeEach
    void setUp()
    {
        for (final String rendition : RENDITIONS)
        {
            edge.origin().put(init(rendition), initBytes(rendition));
        }
    }

    private static String init(final String rendition)
    {
        return "/live/" + STREAM + "/" + rendition + "/init.mp4";
    }

    private static byte[] initBytes(final String rendition)
    {
        return ("init of " + rendition).getBytes(StandardCharsets.US_ASCII);
    }

    /** LiveParts' media playlist plus what the origin's packager adds: the init segment and rendition reports. */
    private static String mediaPlaylist(final String rendition, final LiveWindow w)
    {
        final StringBuilder text = new StringBuilder(LiveParts.playlist(w)
            .replace("#EXT-X-MEDIA-SEQUENCE:", "#EXT-X-MAP:URI=\"init.mp4\"\n#EXT-X-MEDIA-SEQUENCE:"));
        for (final String sibling : RENDITIONS)
        {
            if (!sibling.equals(rendition))
            {
                text.append("#EXT-X-RENDITION-REPORT:URI=\"../").append(sibling).append("/index.m3u8\",LAST-MSN=")
                    .append(w.lastCompleteMsn() + 1).append(",LAST-PART=").append(w.lastPartIndex()).append('\n');
            }
        }
        return text.toString();
    }

    private static String masterPlaylist()
    {
        return "#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-INDEPENDENT-SEGMENTS\n" +
            "#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720,CODECS=\"avc1.64001f\"\n720p/index.m3u8\n" +
            "#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS=\"avc1.64001e\"\n360p/index.m3u8\n";
    }

    /** The MPD names complete segments 0..lastCompleteMsn, with LiveMpdWriter's relative names. */
    private static String mpd(final long lastCompleteMsn)
    {
        final StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"dynamic\" minimumUpdatePeriod=\"PT0.5S\">\n")
            .append("  <Period id=\"0\" start=\"PT0S\">\n    <AdaptationSet contentType=\"video\" mimeType=\"video/mp4\">\n");
        for (final String rendition : RENDITIONS)
        {
            xml.append("      <Representation id=\"").append(rendition).append("\" codecs=\"avc1.64001f\" bandwidth=\"1\">\n")
                .append("        <SegmentTemplate timescale=\"1000\" initialization=\"$RepresentationID$/init.mp4\" ")
                .append("media=\"$RepresentationID$/").append(EPOCH).append("-$Number$.m4s\" startNumber=\"0\">\n")
                .append("          <SegmentTimeline><S t=\"0\" d=\"2000\" r=\"").append(lastCompleteMsn).append("\"/></SegmentTimeline>\n")
                .append("        </SegmentTemplate>\n      </Representation>\n");
        }
        return xml.append("    </AdaptationSet>\n  </Period>\n</MPD>\n").toString();
    }

    /** Publish the next part of every rendition, then the playlists that announce it. */
    private void advance()
    {
        final boolean segmentEnd = part == LiveParts.PARTS_PER_SEGMENT - 1;
        final LiveWindow window = new LiveWindow(EPOCH, 0, segmentEnd ? msn : msn - 1, 0, segmentEnd ? -1 : part, 2000, 500);
        for (final String rendition : RENDITIONS)
        {
            edge.publisher().part(STREAM, rendition, EPOCH, msn, part, segmentEnd, LiveParts.bytes(EPOCH, msn, part));
        }
        for (final String rendition : RENDITIONS)
        {
            edge.publisher().window(STREAM, rendition, WindowKind.HLS_MEDIA_PLAYLIST, window,
                mediaPlaylist(rendition, window));
        }
        edge.publisher().window(STREAM, "", WindowKind.DASH_MPD, window, mpd(window.lastCompleteMsn()));
        if (segmentEnd)
        {
            msn++;
            part = 0;
        }
        else
        {
            part++;
        }
    }

    private byte[] expected(final String path)
    {
        final Matcher name = Pattern.compile("/live/" + STREAM + "/([^/]+)/" + EPOCH + "-(\\d+)(?:\\.(\\d+))?\\.m4s").matcher(path);
        if (path.endsWith("/init.mp4"))
        {
            return initBytes(path.split("/")[3]);
        }
        assertThat(name.matches()).as("a media name: " + path).isTrue();
        final long segment = Long.parseLong(name.group(2));
        if (name.group(3) != null)
        {
            return LiveParts.bytes(EPOCH, segment, Integer.parseInt(name.group(3)));
        }
        final ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int p = 0; p < LiveParts.PARTS_PER_SEGMENT; p++)
        {
            whole.writeBytes(LiveParts.bytes(EPOCH, segment, p));
        }
        return whole.toByteArray();
    }

    private HttpResponse<byte[]> get(final URI uri) throws Exception
    {
        return edge.http1().send(HttpRequest.newBuilder(uri).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void shouldPlayTheLiveWindowHeldRequestsIncludedWhenOnlyTheFirstUrlCarriesTheToken() throws Exception
    {
        while (msn < 1 || part <= 1)
        {
            advance();
        }
        edge.publisher().window(STREAM, "", WindowKind.HLS_MASTER_PLAYLIST,
            new LiveWindow(EPOCH, 0, 0, 0, 1, 2000, 500), masterPlaylist());
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, "360p", EPOCH, 1, 1) &&
            get(edge.uri("/live/" + STREAM + "/master.m3u8?token=" + token())).statusCode() == 200);

        final String prefix = UrlToken.PATH_PREFIX + token();
        final Deque<URI> queue = new ArrayDeque<>(List.of(
            edge.uri(prefix + "/live/" + STREAM + "/master.m3u8"),
            edge.uri(prefix + "/live/" + STREAM + "/manifest.mpd")));
        final Set<String> played = new TreeSet<>();
        final Set<URI> hints = new TreeSet<>();
        while (!queue.isEmpty())
        {
            final URI next = queue.poll();
            assertThat(next.getRawPath()).as("a relative URI kept the token prefix").startsWith(prefix + "/live/" + STREAM + "/");
            final String path = next.getRawPath().substring(prefix.length());
            if (hints.contains(next) || !played.add(path))
            {
                continue;
            }
            final HttpResponse<byte[]> response = get(next);
            assertThat(response.statusCode()).as(next.toString()).isEqualTo(200);
            final String text = new String(response.body(), StandardCharsets.UTF_8);
            if (path.endsWith(".m3u8"))
            {
                final Matcher hint = PRELOAD_HINT.matcher(text);
                while (hint.find())
                {
                    hints.add(next.resolve(hint.group(1)));
                }
                ManifestUris.hls(text).forEach(reference -> queue.add(next.resolve(reference)));
            }
            else if (path.endsWith(".mpd"))
            {
                ManifestUris.dash(text).forEach(reference -> queue.add(next.resolve(reference)));
            }
            else
            {
                assertThat(response.body()).as(path).isEqualTo(expected(path));
            }
        }

        final String folder = "/live/" + STREAM + "/";
        assertThat(played).contains(folder + "master.m3u8", folder + "manifest.mpd", folder + "720p/index.m3u8",
            folder + "360p/index.m3u8", folder + "720p/init.mp4", folder + "360p/init.mp4", folder + "720p/5-0.m4s",
            folder + "360p/5-0.m4s", folder + "720p/5-0.3.m4s", folder + "360p/5-1.1.m4s");
        assertThat(played).hasSize(4 + 2 * (1 + 1 + LiveParts.PARTS_PER_SEGMENT + 2));
        assertThat(hints).containsExactlyInAnyOrder(edge.uri(prefix + folder + "720p/5-1.2.m4s"),
            edge.uri(prefix + folder + "360p/5-1.2.m4s"));
        assertThat(edge.origin().requests(folder + "720p/init.mp4")).isEqualTo(1);

        // The preload-hinted part and a blocking reload, both built from the path form, are held until the part arrives.
        final URI hinted = hints.iterator().next();
        final URI reload = edge.uri(prefix + folder + "720p/index.m3u8?_HLS_msn=1&_HLS_part=3");
        final CompletableFuture<HttpResponse<byte[]>> heldPart = edge.http1().sendAsync(
            HttpRequest.newBuilder(hinted).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
        final CompletableFuture<HttpResponse<byte[]>> heldReload = edge.http1().sendAsync(
            HttpRequest.newBuilder(reload).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(WAIT).until(() -> edge.store().held(STREAM, "360p") + edge.store().held(STREAM, "720p") == 2);
        final HttpResponse<byte[]> refused = get(edge.uri(UrlToken.PATH_PREFIX + tampered(token()) + folder +
            "720p/index.m3u8?_HLS_msn=1&_HLS_part=3"));
        assertThat(refused.statusCode()).as("a tampered token is refused at once, never held").isEqualTo(403);
        assertThat(heldPart).isNotDone();

        advance();
        advance();

        assertThat(heldPart.get().statusCode()).isEqualTo(200);
        assertThat(heldPart.get().body()).isEqualTo(expected(hinted.getRawPath().substring(prefix.length())));
        assertThat(heldReload.get().statusCode()).isEqualTo(200);
        assertThat(new String(heldReload.get().body(), StandardCharsets.UTF_8)).contains("5-1.3.m4s");
        assertThat(edge.registry().get("bifrost.edge.live.requests").tag("outcome", "woken").counter().count())
            .isEqualTo(2);
    }

    @Test
    void shouldRefuseLiveRequestsWithoutAValidTokenInEitherForm() throws Exception
    {
        advance();
        await().atMost(WAIT).until(() -> edge.store().hasPart(STREAM, "720p", EPOCH, 0, 0));
        final String playlist = "/live/" + STREAM + "/720p/index.m3u8";

        final HttpResponse<byte[]> none = get(edge.uri(playlist));
        final HttpResponse<byte[]> forged = get(edge.uri(UrlToken.PATH_PREFIX + tampered(token()) + playlist));
        final HttpResponse<byte[]> otherStream = get(edge.uri(UrlToken.PATH_PREFIX +
            new UrlSigner(KEYS).sign("/live/cam2/", Instant.now().plusSeconds(60)) + playlist));
        final HttpResponse<byte[]> signed = get(edge.uri(UrlToken.PATH_PREFIX + token() + playlist));

        assertThat(new String(none.body())).startsWith("403 token.missing");
        assertThat(new String(forged.body())).startsWith("403 token.bad_signature");
        assertThat(new String(otherStream.body())).startsWith("403 token.wrong_prefix");
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(new String(signed.body())).contains("#EXT-X-PART:DURATION=0.5,URI=\"5-0.0.m4s\"");
    }

    private static String token()
    {
        return new UrlSigner(KEYS).sign("/live/" + STREAM + "/", Instant.now().plusSeconds(600));
    }

    private static String tampered(final String token)
    {
        final int at = token.lastIndexOf('.') + 10;
        return token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
    }
}
