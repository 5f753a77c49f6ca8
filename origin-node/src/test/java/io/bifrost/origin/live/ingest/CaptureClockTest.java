package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.origin.live.CmafTrackSink;
import io.bifrost.origin.live.LiveSession;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The capture clock is the earliest arrival relative to media time over the first seconds of coded frames, and the
 * packager hears it just before the first fragment, then again whenever it has become clearly earlier.
 */
class CaptureClockTest
{
    private static final long T0 = 1_767_225_600_000L;
    private static final FlvTagParser PARSER = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
    private static final byte[] AVC_SEQUENCE_HEADER = {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f};
    private static final byte[] AVC_KEYFRAME = {0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65};
    private static final byte[] AVC_FRAME = {0x27, 1, 0, 0, 0, 0, 0, 0, 1, 0x41};

    @Test
    void shouldTakeTheEarliestFrameRelativeToItsTimestampWhenTheFirstFrameArrivedLate()
    {
        final CaptureClock clock = new CaptureClock();
        clock.observe(video(AVC_SEQUENCE_HEADER, 0, T0 - 400)); // not a sample: no time, sent before the encoder ran
        clock.observe(video(AVC_KEYFRAME, 1000, T0 + 120));         // the encoder's start-up delay
        clock.observe(video(AVC_FRAME, 1033, T0 + 33 + 40));
        clock.observe(video(AVC_FRAME, 1066, T0 + 66 + 2));
        clock.observe(video(AVC_FRAME, 1100, T0 + 100 + 15));
        clock.observe(video(AVC_FRAME, 1000 + CaptureClock.WINDOW_MS + 1, T0)); // past the window: ignored

        assertThat(clock.wallAtZeroMs()).isEqualTo(T0 + 2);
    }

    @Test
    void shouldHaveNoEstimateBeforeTheFirstFrame()
    {
        final CaptureClock clock = new CaptureClock();
        clock.observe(video(AVC_SEQUENCE_HEADER, 0, T0));

        assertThat(clock.wallAtZeroMs()).isEqualTo(-1);
    }

    @Test
    void shouldGiveTheClockJustBeforeTheFirstMoofAndAgainOnlyWhenClearlyEarlier()
    {
        final CaptureClock clock = new CaptureClock();
        final List<String> calls = new ArrayList<>();
        final ClockedSession session = new ClockedSession(new LiveSession()
        {
            @Override
            public long epoch()
            {
                return 1;
            }

            @Override
            public CmafTrackSink track(final String rendition)
            {
                return new CmafTrackSink()
                {
                    @Override
                    public void accept(final ByteBuffer chunk)
                    {
                        calls.add(rendition + " bytes " + chunk.remaining());
                    }

                    @Override
                    public void end()
                    {
                    }
                };
            }

            @Override
            public void captureClock(final long decodeTimeUs, final long wallClockMs)
            {
                calls.add("clock " + decodeTimeUs + " " + wallClockMs);
            }

            @Override
            public void end()
            {
            }
        }, clock);
        final CmafTrackSink video = session.track("source");
        final CmafTrackSink audio = session.track("audio");
        clock.observe(video(AVC_KEYFRAME, 0, T0 + 50));

        video.accept(ByteBuffer.wrap(box("ftyp", 16)));
        clock.observe(video(AVC_FRAME, 33, T0 + 40)); // read by the producer while it started: still counts
        final byte[] moof = box("moof", 24);
        video.accept(ByteBuffer.wrap(moof, 0, 5));
        video.accept(ByteBuffer.wrap(moof, 5, moof.length - 5));
        audio.accept(ByteBuffer.wrap(box("moof", 8)));

        assertThat(calls).containsExactly("source bytes 16", "source bytes 5", "clock 0 " + (T0 + 7),
            "source bytes 19", "audio bytes 8");

        calls.clear();
        clock.observe(video(AVC_FRAME, 66, T0 + 63)); // 10 ms earlier than the clock given: not worth a correction
        audio.accept(ByteBuffer.wrap(new byte[3]));
        clock.observe(video(AVC_FRAME, 100, T0 + 80)); // 27 ms earlier: the packager hears it before the next bytes
        video.accept(ByteBuffer.wrap(new byte[4]));
        audio.accept(ByteBuffer.wrap(new byte[2]));
        clock.observe(video(AVC_FRAME, 133, T0 + 200)); // later than the estimate: nothing to say
        video.accept(ByteBuffer.wrap(new byte[1]));

        assertThat(calls).containsExactly("audio bytes 3", "clock 0 " + (T0 - 20), "source bytes 4", "audio bytes 2",
            "source bytes 1");
    }

    private static CopiedTag video(final byte[] body, final long timestampMs, final long receivedAtMs)
    {
        return CopiedTag.of(PARSER.video(timestampMs, Unpooled.wrappedBuffer(body)), receivedAtMs);
    }

    private static byte[] box(final String type, final int size)
    {
        final byte[] bytes = new byte[size];
        ByteBuffer.wrap(bytes).putInt(size).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return bytes;
    }
}
