package io.bifrost.protocol.messages;

import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.bifrost.protocol.sbe.EdgeTelemetryEncoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeTelemetryCodecTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EdgeTelemetryEncoder encoder = new EdgeTelemetryEncoder();
    private final EdgeTelemetryDecoder decoder = new EdgeTelemetryDecoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);

    @Test
    void shouldRoundTripWindowWithNoContents()
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .windowStartMs(1_764_047_441_000L)
            .sequence(12L)
            .windowLengthMs(1000)
            .contentsCount(0);
        encoder.edgeId("edge-1").region("us-east");

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, EdgeTelemetryDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.windowStartMs()).isEqualTo(1_764_047_441_000L);
        assertThat(decoder.sequence()).isEqualTo(12L);
        assertThat(decoder.windowLengthMs()).isEqualTo(1000);
        final EdgeTelemetryDecoder.ContentsDecoder contents = decoder.contents();
        assertThat(contents.count()).isZero();
        assertThat(contents.hasNext()).isFalse();
        assertThat(decoder.edgeId()).isEqualTo("edge-1");
        assertThat(decoder.region()).isEqualTo("us-east");
        assertThat(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength())
            .isEqualTo(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    @Test
    void shouldRoundTripSeveralContentsIncludingAnEmptyContentId()
    {
        final List<Counters> written = List.of(
            new Counters("live/stream1", 900, 3_000_000_000L, 880, 0, 20, 1, 450, 800, 25_000, 90_000, 180_000),
            new Counters("vod/abc", 12, 48_000_000L, 2, 9, 1, 0, 11, 1_500, 40_000, 60_000, 70_000),
            new Counters("", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0));

        encodeTelemetry(written);

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, EdgeTelemetryDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.windowStartMs()).isEqualTo(5_000L);
        assertThat(decoder.sequence()).isEqualTo(3L);
        assertThat(decoder.windowLengthMs()).isEqualTo(1000);
        assertThat(readContents(decoder)).containsExactlyElementsOf(written);
        assertThat(decoder.edgeId()).isEqualTo("edge-par-2");
        assertThat(decoder.region()).isEqualTo("eu-west");
    }

    @Test
    void shouldReadEdgeIdAndRegionBeforeTheContentsBySkippingThenRewinding()
    {
        final List<Counters> written = List.of(
            new Counters("live/a", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
            new Counters("live/b", 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22));
        encodeTelemetry(written);

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, EdgeTelemetryDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());
        for (final EdgeTelemetryDecoder.ContentsDecoder entry : decoder.contents())
        {
            entry.sbeSkip();
        }
        final String edgeId = decoder.edgeId();
        final String region = decoder.region();
        decoder.sbeRewind();

        assertThat(edgeId).isEqualTo("edge-par-2");
        assertThat(region).isEqualTo("eu-west");
        assertThat(readContents(decoder)).containsExactlyElementsOf(written);
    }

    @Test
    void shouldFitAThousandContentsInOneControlMessage()
    {
        final List<Counters> written = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            final String contentId = "vod/" + "v".repeat(32) + String.format("%04d", i);
            written.add(new Counters(contentId, i, i * 1000L, i, i, i, i, i, i, i, i, i));
        }
        final UnsafeBuffer controlMessage = new UnsafeBuffer(new byte[AeronChannels.MAX_CONTROL_MESSAGE_BYTES]);

        encoder.wrapAndApplyHeader(controlMessage, 0, headerEncoder)
            .windowStartMs(0L)
            .sequence(0L)
            .windowLengthMs(1000);
        final EdgeTelemetryEncoder.ContentsEncoder contents = encoder.contentsCount(written.size());
        for (final Counters counters : written)
        {
            counters.encode(contents.next());
        }
        encoder.edgeId("e".repeat(64)).region("r".repeat(32));

        final MessageHeaderDecoder header = Frames.readHeader(controlMessage, 0, EdgeTelemetryDecoder.TEMPLATE_ID);
        decoder.wrap(controlMessage, Frames.bodyOffset(header), header.blockLength(), header.version());
        assertThat(readContents(decoder)).containsExactlyElementsOf(written);
        assertThat(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength())
            .isLessThanOrEqualTo(AeronChannels.MAX_CONTROL_MESSAGE_BYTES);
    }

    @Test
    void shouldRoundTripQoeFields()
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .windowStartMs(5_000L)
            .sequence(4L)
            .windowLengthMs(1000);
        encoder.contentsCount(1).next()
            .requests(10)
            .qoeBeacons(3)
            .startupP50Millis(420)
            .rebufferCount(2)
            .rebufferMillis(1_500)
            .switchCount(5)
            .playedMillis(29_000)
            .meanBitrateKbps(2_400)
            .contentId("vod/abc");
        encoder.edgeId("edge-1").region("eu-west");

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, EdgeTelemetryDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());
        final EdgeTelemetryDecoder.ContentsDecoder entry = decoder.contents().next();

        assertThat(entry.requests()).isEqualTo(10);
        assertThat(entry.qoeBeacons()).isEqualTo(3);
        assertThat(entry.startupP50Millis()).isEqualTo(420);
        assertThat(entry.rebufferCount()).isEqualTo(2);
        assertThat(entry.rebufferMillis()).isEqualTo(1_500);
        assertThat(entry.switchCount()).isEqualTo(5);
        assertThat(entry.playedMillis()).isEqualTo(29_000);
        assertThat(entry.meanBitrateKbps()).isEqualTo(2_400);
        assertThat(entry.contentId()).isEqualTo("vod/abc");
    }

    private void encodeTelemetry(final List<Counters> written)
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .windowStartMs(5_000L)
            .sequence(3L)
            .windowLengthMs(1000);
        final EdgeTelemetryEncoder.ContentsEncoder contents = encoder.contentsCount(written.size());
        for (final Counters counters : written)
        {
            counters.encode(contents.next());
        }
        encoder.edgeId("edge-par-2").region("eu-west");
    }

    static List<Counters> readContents(final EdgeTelemetryDecoder decoder)
    {
        final List<Counters> read = new ArrayList<>();
        for (final EdgeTelemetryDecoder.ContentsDecoder entry : decoder.contents())
        {
            read.add(Counters.decode(entry));
        }
        return read;
    }

    /**
     * One contents entry as a value, so tests compare whole entries.
     */
    record Counters(
        String contentId,
        long requests,
        long bytesSent,
        long ramHits,
        long ssdHits,
        long misses,
        long errors,
        int activeViewers,
        int firstByteP50Micros,
        int firstByteP99Micros,
        int fillP50Micros,
        int fillP99Micros)
    {
        void encode(final EdgeTelemetryEncoder.ContentsEncoder entry)
        {
            entry.requests(requests)
                .bytesSent(bytesSent)
                .ramHits(ramHits)
                .ssdHits(ssdHits)
                .misses(misses)
                .errors(errors)
                .activeViewers(activeViewers)
                .firstByteP50Micros(firstByteP50Micros)
                .firstByteP99Micros(firstByteP99Micros)
                .fillP50Micros(fillP50Micros)
                .fillP99Micros(fillP99Micros)
                .contentId(contentId);
        }

        static Counters decode(final EdgeTelemetryDecoder.ContentsDecoder entry)
        {
            final long requests = entry.requests();
            final long bytesSent = entry.bytesSent();
            final long ramHits = entry.ramHits();
            final long ssdHits = entry.ssdHits();
            final long misses = entry.misses();
            final long errors = entry.errors();
            final int activeViewers = entry.activeViewers();
            final int firstByteP50Micros = entry.firstByteP50Micros();
            final int firstByteP99Micros = entry.firstByteP99Micros();
            final int fillP50Micros = entry.fillP50Micros();
            final int fillP99Micros = entry.fillP99Micros();
            return new Counters(
                entry.contentId(),
                requests,
                bytesSent,
                ramHits,
                ssdHits,
                misses,
                errors,
                activeViewers,
                firstByteP50Micros,
                firstByteP99Micros,
                fillP50Micros,
                fillP99Micros);
        }
    }
}
