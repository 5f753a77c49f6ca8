package io.bifrost.protocol.messages;

import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import io.bifrost.protocol.sbe.WindowUpdateEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class WindowUpdateCodecTest
{
    private static final String MEDIA_PLAYLIST =
        "#EXTM3U\n" +
        "#EXT-X-VERSION:9\n" +
        "#EXT-X-TARGETDURATION:2\n" +
        "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.0\n" +
        "#EXT-X-PART-INF:PART-TARGET=0.333\n" +
        "#EXT-X-MEDIA-SEQUENCE:100\n" +
        "#EXT-X-DISCONTINUITY-SEQUENCE:3\n" +
        "#EXT-X-PROGRAM-DATE-TIME:2026-11-25T05:10:41.000Z\n" +
        "#EXTINF:2.0,\n" +
        "1764047441-100.m4s\n" +
        "#EXT-X-PART:DURATION=0.333,URI=\"1764047441-101.0.m4s\",INDEPENDENT=YES\n" +
        "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"1764047441-101.1.m4s\"\n" +
        "# caf\u00e9 \u2713 (UTF-8 bytes travel as they are)\n";

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final WindowUpdateEncoder encoder = new WindowUpdateEncoder();
    private final WindowUpdateDecoder decoder = new WindowUpdateDecoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(128);

    @Test
    void shouldRoundTripMediaPlaylistWindow()
    {
        final byte[] body = MEDIA_PLAYLIST.getBytes(StandardCharsets.UTF_8);

        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .epoch(1_764_047_441L)
            .firstMsn(100L)
            .lastCompleteMsn(100L)
            .discontinuitySequence(3L)
            .firstProgramDateTimeMs(1_764_047_441_000L)
            .lastPartIndex(0)
            .targetDurationMs(2000)
            .partTargetMs(333)
            .kind(WindowKind.HLS_MEDIA_PLAYLIST)
            .streamId("stream1")
            .rendition("1080p")
            .putBody(body, 0, body.length);

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, WindowUpdateDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.epoch()).isEqualTo(1_764_047_441L);
        assertThat(decoder.firstMsn()).isEqualTo(100L);
        assertThat(decoder.lastCompleteMsn()).isEqualTo(100L);
        assertThat(decoder.discontinuitySequence()).isEqualTo(3L);
        assertThat(decoder.firstProgramDateTimeMs()).isEqualTo(1_764_047_441_000L);
        assertThat(decoder.lastPartIndex()).isZero();
        assertThat(decoder.targetDurationMs()).isEqualTo(2000);
        assertThat(decoder.partTargetMs()).isEqualTo(333);
        assertThat(decoder.kind()).isEqualTo(WindowKind.HLS_MEDIA_PLAYLIST);
        assertThat(decoder.streamId()).isEqualTo("stream1");
        assertThat(decoder.rendition()).isEqualTo("1080p");
        final byte[] decodedBody = new byte[decoder.bodyLength()];
        decoder.getBody(decodedBody, 0, decodedBody.length);
        assertThat(new String(decodedBody, StandardCharsets.UTF_8)).isEqualTo(MEDIA_PLAYLIST);
    }

    @ParameterizedTest
    @EnumSource(value = WindowKind.class, names = "NULL_VAL", mode = EnumSource.Mode.EXCLUDE)
    void shouldRoundTripStreamWideKindsWithEmptyRenditionAndBody(final WindowKind kind)
    {
        encoder.wrapAndApplyHeader(buffer, Frames.OFFSET, headerEncoder)
            .epoch(2L)
            .firstMsn(0L)
            .lastCompleteMsn(-1L)
            .discontinuitySequence(0L)
            .firstProgramDateTimeMs(-1L)
            .lastPartIndex(-1)
            .targetDurationMs(4000)
            .partTargetMs(0)
            .kind(kind)
            .streamId("live-2")
            .rendition("")
            .putBody(new byte[0], 0, 0);

        final MessageHeaderDecoder header = Frames.readHeader(buffer, Frames.OFFSET, WindowUpdateDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.kind()).isEqualTo(kind);
        assertThat(decoder.lastCompleteMsn()).isEqualTo(-1L);
        assertThat(decoder.firstProgramDateTimeMs()).isEqualTo(-1L);
        assertThat(decoder.lastPartIndex()).isEqualTo(-1);
        assertThat(decoder.partTargetMs()).isZero();
        assertThat(decoder.streamId()).isEqualTo("live-2");
        assertThat(decoder.rendition()).isEmpty();
        assertThat(decoder.bodyLength()).isZero();
        decoder.skipBody();
        assertThat(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength())
            .isEqualTo(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
