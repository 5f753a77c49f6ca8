package io.bifrost.origin.live;

import io.bifrost.protocol.sbe.WindowKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live MPD's own {@code UTCTiming} (urn:mpeg:dash:utc:direct:2014) carries the time the origin answers, not the
 * time it rendered the MPD: players set their clock to it as they receive it (dash.js at start), and the MPD is served
 * unchanged for up to a segment after it is rendered. With the render time dash.js's clock ran behind by the MPD's age
 * and it never asked for the segment being written (BrowserOriginLiveDashSystemTest). Real packager and Netty server
 * ({@link LiveOriginServer}), a clock the test moves.
 */
class LiveMpdServedClockTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant RENDERED = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    static Path media;

    @TempDir
    Path temp;

    private static List<byte[]> units;

    private final MovableClock clock = new MovableClock(RENDERED);
    private final RecordingListener listener = new RecordingListener();
    private final Random random = new Random(7);
    private LiveOriginServer origin;
    private HttpClient http;

    @BeforeAll
    static void generate()
    {
        units = LiveTestMedia.units(LiveTestMedia.video(media, 2, 30));
    }

    @BeforeEach
    void start()
    {
        origin = LiveOriginServer.start(temp, LiveResponder.DEFAULT_CHUNKED_MAX_QUEUED_BYTES, clock);
        origin.packager().addListener(listener);
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop()
    {
        http.close();
        origin.close();
    }

    @Test
    void shouldAnswerTheMpdWithTheTimeItIsServedInItsUtcTimingWhenTheMpdWasRenderedEarlier() throws Exception
    {
        final LiveSession session = origin.open();
        for (int i = 0; i <= 4; i++)
        {
            LiveTestMedia.feed(session.track(LiveOriginServer.RENDITION), units.get(i), random); // segment 0, 1 part
        }
        final String rendered = listener.windows("", WindowKind.DASH_MPD).getLast().body();
        assertThat(utcTiming(parse(rendered))).isEqualTo("2026-01-01T00:00:00.000Z");

        clock.set(RENDERED.plusMillis(1500));
        final HttpResponse<byte[]> first = get("GET");
        clock.set(RENDERED.plusMillis(2250));
        final HttpResponse<byte[]> second = get("GET");
        final HttpResponse<byte[]> head = get("HEAD");

        assertThat(listener.windows("", WindowKind.DASH_MPD).getLast().body()).as("no MPD rendered since")
            .isEqualTo(rendered);
        final String firstBody = new String(first.body(), StandardCharsets.UTF_8);
        final Document firstMpd = parse(firstBody);
        assertThat(utcTiming(firstMpd)).as("the MPD's own UTCTiming: the time of the answer")
            .isEqualTo("2026-01-01T00:00:01.500Z");
        assertThat(utcTiming(parse(new String(second.body(), StandardCharsets.UTF_8))))
            .isEqualTo("2026-01-01T00:00:02.250Z");
        assertThat(firstMpd.getDocumentElement().getAttribute("publishTime")).as("the document itself is as rendered")
            .isEqualTo("2026-01-01T00:00:00.000Z");
        assertThat(firstBody.replace("2026-01-01T00:00:01.500Z\"/>\n</MPD>", "2026-01-01T00:00:00.000Z\"/>\n</MPD>"))
            .as("only the MPD-level value differs (ProducerReferenceTime's UTCTiming only names the format)")
            .isEqualTo(rendered);
        assertThat(first.headers().firstValue("content-type")).hasValue("application/dash+xml");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(first.body().length);
        session.end();
    }

    @Test
    void shouldStampTheValueAtItsByteOffsetWhenTextBeforeItIsNotAscii()
    {
        final String mpd = "<MPD><Label>Bühne</Label>\n  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" " +
            "value=\"2026-01-01T00:00:00.000Z\"/>\n</MPD>\n";

        final byte[] served = LiveMpdWriter.served(mpd, RENDERED.plusMillis(61_001).toEpochMilli());

        assertThat(new String(served, StandardCharsets.UTF_8))
            .isEqualTo(mpd.replace("00:00:00.000Z", "00:01:01.001Z"));
        assertThat(LiveMpdWriter.served("<MPD/>\n", 0)).as("no UTCTiming: unchanged")
            .isEqualTo("<MPD/>\n".getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> get(final String method) throws Exception
    {
        final HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
            origin.port() + "/live/" + LiveOriginServer.STREAM_ID + "/manifest.mpd")).timeout(WAIT)
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer;
    }

    /** @return the value of the MPD's own UTCTiming (a child of the root, after the Period). */
    private static String utcTiming(final Document mpd)
    {
        final NodeList timings = mpd.getElementsByTagName("UTCTiming");
        final Element last = (Element)timings.item(timings.getLength() - 1);
        assertThat(last.getParentNode()).isEqualTo(mpd.getDocumentElement());
        assertThat(last.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:utc:direct:2014");
        return last.getAttribute("value");
    }

    private static Document parse(final String mpd) throws Exception
    {
        return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(mpd.getBytes(StandardCharsets.UTF_8)));
    }

    /** A wall clock the test sets; read by the packager's and the server's threads. */
    private static final class MovableClock extends Clock
    {
        private volatile Instant now;

        MovableClock(final Instant now)
        {
            this.now = now;
        }

        void set(final Instant instant)
        {
            now = instant;
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }
}
