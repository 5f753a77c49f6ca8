package io.bifrost.protocol.messages;

import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.LivePartEncoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.ExpandableArrayBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class LivePartPropertyTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final LivePartEncoder encoder = new LivePartEncoder();
    private final LivePartDecoder decoder = new LivePartDecoder();

    @Property
    void shouldDecodeEveryFieldThatWasEncoded(
        @ForAll final long epoch,
        @ForAll final long msn,
        @ForAll final long programDateTimeMs,
        @ForAll final int durationMicros,
        @ForAll final int partIndex,
        @ForAll final boolean independent,
        @ForAll final boolean segmentEnd,
        @ForAll final boolean gap,
        @ForAll final boolean discontinuity,
        @ForAll("streamIds") final String streamId,
        @ForAll("renditions") final String rendition,
        @ForAll @Size(max = 4096) final byte[] payload,
        @ForAll @IntRange(max = 64) final int offset)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);

        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .epoch(epoch)
            .msn(msn)
            .programDateTimeMs(programDateTimeMs)
            .durationMicros(durationMicros)
            .partIndex(partIndex);
        encoder.flags().clear()
            .independent(independent)
            .segmentEnd(segmentEnd)
            .gap(gap)
            .discontinuity(discontinuity);
        encoder.streamId(streamId).rendition(rendition).putPayload(payload, 0, payload.length);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        final MessageHeaderDecoder header = Frames.readHeader(buffer, offset, LivePartDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.epoch()).isEqualTo(epoch);
        assertThat(decoder.msn()).isEqualTo(msn);
        assertThat(decoder.programDateTimeMs()).isEqualTo(programDateTimeMs);
        assertThat(decoder.durationMicros()).isEqualTo(durationMicros);
        assertThat(decoder.partIndex()).isEqualTo(partIndex);
        assertThat(decoder.flags().independent()).isEqualTo(independent);
        assertThat(decoder.flags().segmentEnd()).isEqualTo(segmentEnd);
        assertThat(decoder.flags().gap()).isEqualTo(gap);
        assertThat(decoder.flags().discontinuity()).isEqualTo(discontinuity);
        assertThat(decoder.streamId()).isEqualTo(streamId);
        assertThat(decoder.rendition()).isEqualTo(rendition);
        final byte[] decodedPayload = new byte[decoder.payloadLength()];
        decoder.getPayload(decodedPayload, 0, decodedPayload.length);
        assertThat(decodedPayload).isEqualTo(payload);
        assertThat(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength()).isEqualTo(frameLength);
    }

    @Provide
    Arbitrary<String> streamIds()
    {
        return names(64);
    }

    @Provide
    Arbitrary<String> renditions()
    {
        return names(32);
    }

    static Arbitrary<String> names(final int maxLength)
    {
        return Arbitraries.strings()
            .alpha()
            .numeric()
            .withChars('_', '-')
            .ofMinLength(1)
            .ofMaxLength(maxLength);
    }
}
