package io.bifrost.edge.live;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.sbe.WindowKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The edge decodes bytes that arrive from the network on the live stream: any bytes (and any message inside a larger
 * buffer, as Aeron's term buffers are) must decode to a valid message or to a counted rejection, never throw and never
 * read outside the message; what the decoder accepts goes into a real {@link LiveWindowStore}, as the subscriber does,
 * which stores it or counts why not. The committed corpus ({@code LiveMessageDecoderFuzzTestInputs}) runs as a regression test
 * in every build; the playlist catch-up parser and the LL-HLS query parser are fuzzed here too.
 * Real fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl edge-node test -Dtest=LiveMessageDecoderFuzzTest}.
 */
class LiveMessageDecoderFuzzTest
{
    private final LiveMessageDecoder decoder = new LiveMessageDecoder();

    @FuzzTest(maxDuration = "30s")
    void shouldDecodeAnyBytesToAValidMessageOrARejection(final FuzzedDataProvider data)
    {
        final int padding = data.consumeInt(0, 64);
        final byte[] message = data.consumeRemainingAsBytes();
        // The message sits inside a larger buffer whose bytes after it are 0x7F: reading past the message would show.
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(padding + message.length + 64));
        buffer.setMemory(0, buffer.capacity(), (byte)0x7F);
        buffer.putBytes(padding, message);
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // What the subscriber does: the decoder feeds the real store; whatever it accepts, the store must take or count.
        try (LiveWindowStore store = new LiveWindowStore(1 << 20, UnpooledByteBufAllocator.DEFAULT, meters))
        {
            final PartSpy spy = new PartSpy(store);

            final LiveMessageDecoder.Result result = decoder.decode(buffer, padding, message.length, spy);

            assertThat(spy.calls).isEqualTo(result == LiveMessageDecoder.Result.PART ||
                result == LiveMessageDecoder.Result.WINDOW ? 1 : 0);
            if (result == LiveMessageDecoder.Result.PART)
            {
                final double dropped = meters.find("bifrost.edge.live.dropped").counters().stream()
                    .mapToDouble(counter -> counter.count()).sum();
                assertThat(store.hasPart(spy.streamId, spy.rendition, spy.epoch, spy.msn, spy.partIndex) || dropped == 1)
                    .as("an accepted part is stored or counted as dropped").isTrue();
            }
            else if (result != LiveMessageDecoder.Result.WINDOW)
            {
                assertThat(store.usedBytes()).isZero();
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    void shouldParseAnyPlaylistIntoCanonicalParts(final FuzzedDataProvider data)
    {
        final String playlist = data.consumeRemainingAsString();

        for (final PlaylistParts.Part part : PlaylistParts.parse("cam1", "720p", playlist))
        {
            final ContentKey key = ContentKey.livePart("cam1", "720p", part.epoch(), part.msn(), part.part());
            assertThat(playlist).contains(key.path().substring("/live/cam1/720p/".length()));
        }
    }

    @FuzzTest(maxDuration = "20s")
    void shouldParseAnyQueryIntoDirectivesOrAnError(final FuzzedDataProvider data)
    {
        final HlsBlockingQuery query = HlsBlockingQuery.parse(data.consumeRemainingAsString());

        if (query.error() == null)
        {
            assertThat(query.part()).isBetween(-1, ContentKey.MAX_PART);
            assertThat(query.part() < 0 || query.msn() >= 0).isTrue();
        }
    }

    @Test
    void shouldDecodeWhatTheOriginEncodesAndRejectTruncations()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocate(64 * 1024));
        final int partLength = TestLivePublisher.encodePart(buffer, "cam1", "720p", 3, 42, 2, true, new byte[] {1, 2, 3});
        final Recorder recorder = new Recorder();

        assertThat(decoder.decode(buffer, 0, partLength, recorder)).isEqualTo(LiveMessageDecoder.Result.PART);
        assertThat(recorder.calls).containsExactly("part cam1/720p 3-42.2 flags=2 bytes=3");
        for (int cut = 0; cut < partLength; cut++)
        {
            assertThat(decoder.decode(buffer, 0, cut, recorder)).as("cut at " + cut)
                .isEqualTo(LiveMessageDecoder.Result.MALFORMED);
        }

        final int windowLength = TestLivePublisher.encodeWindow(buffer, "cam1", "720p", WindowKind.HLS_MEDIA_PLAYLIST_DELTA,
            new LiveWindow(3, 40, 42, 1, 2, 2000, 500), "#EXTM3U\n");
        recorder.calls.clear();
        assertThat(decoder.decode(buffer, 0, windowLength, recorder)).isEqualTo(LiveMessageDecoder.Result.WINDOW);
        assertThat(recorder.calls).containsExactly(
            "window cam1/720p HLS_MEDIA_PLAYLIST_DELTA LiveWindow[epoch=3, firstMsn=40, lastCompleteMsn=42, " +
            "discontinuitySequence=1, lastPartIndex=2, targetDurationMs=2000, partTargetMs=500] bytes=8");

        buffer.putShort(4, (short)4242, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(decoder.decode(buffer, 0, windowLength, recorder)).isEqualTo(LiveMessageDecoder.Result.UNKNOWN_SCHEMA);
        buffer.putShort(4, (short)7001, java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(2, (short)99, java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(decoder.decode(buffer, 0, windowLength, recorder)).isEqualTo(LiveMessageDecoder.Result.UNKNOWN_TEMPLATE);
    }

    private static final class Recorder implements LiveMessageHandler
    {
        final List<String> calls = new ArrayList<>();

        @Override
        public void onPart(
            final String streamId,
            final String rendition,
            final long epoch,
            final long msn,
            final int partIndex,
            final long programDateTimeMs,
            final int durationMicros,
            final int flags,
            final DirectBuffer payload,
            final int payloadOffset,
            final int payloadLength)
        {
            calls.add("part " + streamId + "/" + rendition + " " + epoch + "-" + msn + "." + partIndex + " flags=" + flags +
                " bytes=" + payloadLength);
        }

        @Override
        public void onWindow(
            final String streamId,
            final String rendition,
            final WindowKind kind,
            final LiveWindow window,
            final DirectBuffer body,
            final int bodyOffset,
            final int bodyLength)
        {
            calls.add("window " + streamId + "/" + rendition + " " + kind + " " + window + " bytes=" + bodyLength);
        }
    }

    /**
     * Hands every decoded message to the store and remembers the name of the last part, so the test can ask the store
     * whether it holds it.
     */
    private static final class PartSpy implements LiveMessageHandler
    {
        private final LiveWindowStore store;
        int calls;
        String streamId;
        String rendition;
        long epoch;
        long msn;
        int partIndex;

        PartSpy(final LiveWindowStore store)
        {
            this.store = store;
        }

        @Override
        public void onPart(
            final String streamId,
            final String rendition,
            final long epoch,
            final long msn,
            final int partIndex,
            final long programDateTimeMs,
            final int durationMicros,
            final int flags,
            final DirectBuffer payload,
            final int payloadOffset,
            final int payloadLength)
        {
            calls++;
            this.streamId = streamId;
            this.rendition = rendition;
            this.epoch = epoch;
            this.msn = msn;
            this.partIndex = partIndex;
            store.onPart(streamId, rendition, epoch, msn, partIndex, programDateTimeMs, durationMicros, flags, payload,
                payloadOffset, payloadLength);
        }

        @Override
        public void onWindow(
            final String streamId,
            final String rendition,
            final WindowKind kind,
            final LiveWindow window,
            final DirectBuffer body,
            final int bodyOffset,
            final int bodyLength)
        {
            calls++;
            store.onWindow(streamId, rendition, kind, window, body, bodyOffset, bodyLength);
        }
    }
}
