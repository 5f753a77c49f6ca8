package io.bifrost.protocol.messages;

import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.auth.SequencedAuthenticator;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.LivePartEncoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LivePartCodecTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final LivePartEncoder encoder = new LivePartEncoder();
    private final LivePartDecoder decoder = new LivePartDecoder();

    @Test
    void shouldRoundTripEveryField()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final byte[] payload = "moof....mdat....".getBytes(StandardCharsets.US_ASCII);

        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .epoch(1_764_000_000_123L)
            .msn(4711L)
            .programDateTimeMs(1_764_000_123_456L)
            .durationMicros(333_333)
            .partIndex(5);
        encoder.flags().clear().independent(true).segmentEnd(true).discontinuity(true);
        encoder.streamId("stream_1-A").rendition("720p").putPayload(payload, 0, payload.length);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, LivePartDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.epoch()).isEqualTo(1_764_000_000_123L);
        assertThat(decoder.msn()).isEqualTo(4711L);
        assertThat(decoder.programDateTimeMs()).isEqualTo(1_764_000_123_456L);
        assertThat(decoder.durationMicros()).isEqualTo(333_333);
        assertThat(decoder.partIndex()).isEqualTo(5);
        assertThat(decoder.flags().independent()).isTrue();
        assertThat(decoder.flags().segmentEnd()).isTrue();
        assertThat(decoder.flags().gap()).isFalse();
        assertThat(decoder.flags().discontinuity()).isTrue();
        assertThat(decoder.streamId()).isEqualTo("stream_1-A");
        assertThat(decoder.rendition()).isEqualTo("720p");
        final byte[] decodedPayload = new byte[decoder.payloadLength()];
        decoder.getPayload(decodedPayload, 0, decodedPayload.length);
        assertThat(decodedPayload).isEqualTo(payload);
        assertThat(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength()).isEqualTo(frameLength);
    }

    @Test
    void shouldRoundTripGapPartWithEmptyPayloadAndNoOtherFlags()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .epoch(7L)
            .msn(0L)
            .programDateTimeMs(0L)
            .durationMicros(500_000)
            .partIndex(0);
        encoder.flags().clear().gap(true);
        encoder.streamId("s").rendition("a").putPayload(new byte[0], 0, 0);

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, LivePartDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.flags().gap()).isTrue();
        assertThat(decoder.flags().independent()).isFalse();
        assertThat(decoder.flags().segmentEnd()).isFalse();
        assertThat(decoder.flags().discontinuity()).isFalse();
        assertThat(decoder.streamId()).isEqualTo("s");
        assertThat(decoder.rendition()).isEqualTo("a");
        assertThat(decoder.payloadLength()).isZero();
        assertThat(decoder.getPayload(new byte[1], 0, 1)).isZero();
    }

    @Test
    void shouldCarryTheLargestPartWithTheLongestNamesInOneLiveMessage()
    {
        final String streamId = "s".repeat(AeronChannels.MAX_STREAM_ID_LENGTH);
        final String rendition = "r".repeat(AeronChannels.MAX_RENDITION_LENGTH);
        final byte[] payload = new byte[AeronChannels.MAX_LIVE_PART_BYTES];
        new Random(42).nextBytes(payload);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(AeronChannels.MAX_LIVE_MESSAGE_BYTES));

        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .epoch(1L)
            .msn(Long.MAX_VALUE)
            .programDateTimeMs(Long.MIN_VALUE)
            .durationMicros(Integer.MAX_VALUE)
            .partIndex(Integer.MAX_VALUE);
        encoder.flags().clear().independent(true);
        encoder.streamId(streamId).rendition(rendition).putPayload(payload, 0, payload.length);

        assertThat(payload.length).isGreaterThan(2 * 1024 * 1024 - 4096);
        // The largest part with the longest names leaves exactly the room of the fleet-key signature
        // (SequencedAuthenticator.OVERHEAD) that live replication appends when keys are configured.
        assertThat(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength() + SequencedAuthenticator.OVERHEAD)
            .isEqualTo(AeronChannels.MAX_LIVE_MESSAGE_BYTES)
            .isLessThanOrEqualTo(AeronChannels.LIVE_TERM_LENGTH / 8);

        final MessageHeaderDecoder header = Frames.readHeader(buffer, 0, LivePartDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());
        assertThat(decoder.msn()).isEqualTo(Long.MAX_VALUE);
        assertThat(decoder.programDateTimeMs()).isEqualTo(Long.MIN_VALUE);
        assertThat(decoder.durationMicros()).isEqualTo(Integer.MAX_VALUE);
        assertThat(decoder.partIndex()).isEqualTo(Integer.MAX_VALUE);
        assertThat(decoder.streamId()).isEqualTo(streamId);
        assertThat(decoder.rendition()).isEqualTo(rendition);

        final UnsafeBuffer view = new UnsafeBuffer(0, 0);
        decoder.wrapPayload(view);
        final byte[] decodedPayload = new byte[view.capacity()];
        view.getBytes(0, decodedPayload);
        assertThat(decodedPayload).isEqualTo(payload);
    }
}
