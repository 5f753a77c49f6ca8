package io.bifrost.edge.live;

import io.bifrost.protocol.sbe.WindowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.bifrost.edge.live.LiveEdgeFixture.EPOCH;
import static io.bifrost.edge.live.LiveEdgeFixture.STREAM;
import static io.bifrost.edge.live.LiveEdgeFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The edge serves a live MPD with its own clock ({@code UTCTiming} direct) set to the time of the answer, not the time
 * the origin rendered it: dash.js sets its clock to that value, so a replicated MPD served unchanged put its clock (and
 * its live edge) behind by the MPD's age. Everything else is the origin's bytes.
 */
class LiveMpdServedTimeTest
{
    private static final String RENDERED = "2020-01-01T00:00:00.000Z";
    private static final Pattern DIRECT = Pattern.compile(
        "<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"([^\"]+)\"/>\\s*</MPD>");

    @RegisterExtension
    final LiveEdgeFixture edge = new LiveEdgeFixture();

    @Test
    void shouldServeTheMpdWithTheTimeOfTheAnswer() throws Exception
    {
        edge.advance();
        final String mpd = mpd();
        edge.publisher().window(STREAM, "", WindowKind.DASH_MPD, new LiveWindow(EPOCH, 0, -1, 0, 0, 2000, 500), mpd);
        final HttpRequest get = HttpRequest.newBuilder(edge.uri("/live/" + STREAM + "/manifest.mpd")).timeout(WAIT).build();
        await().atMost(WAIT).until(() -> edge.http1().send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        final Instant before = Instant.now().minusMillis(1);
        final HttpResponse<String> first = edge.http1().send(get, HttpResponse.BodyHandlers.ofString());
        final Instant after = Instant.now().plusMillis(1);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValue("application/dash+xml");
        final Matcher value = DIRECT.matcher(first.body());
        assertThat(value.find()).as(first.body()).isTrue();
        assertThat(Instant.parse(value.group(1))).isBetween(before, after);
        assertThat(first.body()).as("only the MPD's own clock changes")
            .isEqualTo(mpd.replace("value=\"" + RENDERED + "\"/>\n</MPD>", "value=\"" + value.group(1) + "\"/>\n</MPD>"))
            .contains("<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"" + RENDERED + "\"/>\n        ");

        await().atMost(WAIT).until(() -> Instant.now().isAfter(Instant.parse(value.group(1)).plusMillis(20)));
        final HttpResponse<String> second = edge.http1().send(get, HttpResponse.BodyHandlers.ofString());
        final Matcher later = DIRECT.matcher(second.body());
        assertThat(later.find()).isTrue();
        assertThat(Instant.parse(later.group(1))).as("each answer carries its own time")
            .isAfter(Instant.parse(value.group(1)));
    }

    /** An MPD as the origin renders it: a ProducerReferenceTime's UTCTiming inside, the MPD's own one last. */
    private static String mpd()
    {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"dynamic\" publishTime=\"" + RENDERED + "\">\n"
            + "  <Period id=\"0\" start=\"PT0S\">\n"
            + "      <Representation id=\"720p\" bandwidth=\"3000000\">\n"
            + "        <ProducerReferenceTime id=\"0\" type=\"encoder\" wallClockTime=\"" + RENDERED
            + "\" presentationTime=\"0\">\n"
            + "          <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"" + RENDERED + "\"/>\n"
            + "        </ProducerReferenceTime>\n"
            + "      </Representation>\n"
            + "  </Period>\n"
            + "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"" + RENDERED + "\"/>\n"
            + "</MPD>\n";
    }
}
