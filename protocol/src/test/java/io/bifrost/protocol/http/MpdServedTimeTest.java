package io.bifrost.protocol.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MpdServedTime}: only the MPD's own (last) direct UTCTiming value is set, in place, at any reader index; MPDs
 * without one, or with a value of another shape, are left alone; any bytes are scanned without an exception.
 */
class MpdServedTimeTest
{
    private static final String OLD = "2020-01-01T00:00:00.000Z";
    private static final String INNER = "<UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"" + OLD + "\"/>";
    private static final String MPD = "<MPD>\n<Period>" + INNER + "</Period>\n  " + INNER + "\n</MPD>\n";
    private static final long NOW_MS = Instant.parse("2026-12-02T04:30:01.234Z").toEpochMilli();

    @Test
    void shouldSetOnlyTheLastDirectValue()
    {
        final String stamped = new String(MpdServedTime.stamp(MPD.getBytes(StandardCharsets.UTF_8), NOW_MS),
            StandardCharsets.UTF_8);

        assertThat(stamped).isEqualTo("<MPD>\n<Period>" + INNER + "</Period>\n  " +
            INNER.replace(OLD, "2026-12-02T04:30:01.234Z") + "\n</MPD>\n");
    }

    @Test
    void shouldFindTheValueAtAnyReaderIndexAndStampACopyAtTheSameOffset()
    {
        final ByteBuf framed = Unpooled.copiedBuffer("garbage before" + MPD, StandardCharsets.UTF_8);
        framed.readerIndex("garbage before".length());
        final int value = MpdServedTime.valueIndex(framed);
        final ByteBuf copy = Unpooled.buffer().writeBytes(framed, framed.readerIndex(), framed.readableBytes());

        MpdServedTime.stamp(copy, value - framed.readerIndex(), NOW_MS);

        assertThat(copy.toString(StandardCharsets.UTF_8)).endsWith("value=\"2026-12-02T04:30:01.234Z\"/>\n</MPD>\n");
        assertThat(framed.toString(StandardCharsets.UTF_8)).isEqualTo(MPD);
    }

    @Test
    void shouldLeaveAnMpdWithoutADirectValueAlone()
    {
        final String http = "<MPD><UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:http-xsdate:2014\" value=\"/time\"/></MPD>";
        final String shortValue = "<MPD><UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"2020\"/></MPD>";

        assertThat(new String(MpdServedTime.stamp(http.getBytes(StandardCharsets.UTF_8), NOW_MS), StandardCharsets.UTF_8))
            .isEqualTo(http);
        assertThat(MpdServedTime.valueIndex(Unpooled.copiedBuffer(shortValue, StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(MpdServedTime.valueIndex(Unpooled.EMPTY_BUFFER)).isEqualTo(-1);
    }

    @Property(tries = 2000)
    void shouldScanAnyBytesAndPointOnlyAtAWholeValue(@ForAll @Size(max = 300) final byte[] noise, @ForAll final boolean withValue)
    {
        final byte[] tail = withValue ? INNER.getBytes(StandardCharsets.US_ASCII) : new byte[0];
        final ByteBuf bytes = Unpooled.buffer().writeBytes(noise).writeBytes(tail);
        final int value = MpdServedTime.valueIndex(bytes);

        if (withValue)
        {
            assertThat(value).isGreaterThanOrEqualTo(0);
        }
        if (value >= 0)
        {
            assertThat(value + MpdServedTime.DATE_TIME_LENGTH).isLessThan(bytes.writerIndex());
            assertThat(bytes.getByte(value + MpdServedTime.DATE_TIME_LENGTH)).isEqualTo((byte)'"');
        }
    }
}
