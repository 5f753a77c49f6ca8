package io.bifrost.origin.live.passthrough;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.ingest.rtmp.RtmpProtocolException;
import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.origin.live.ingest.CmafInspector;
import io.bifrost.origin.live.ingest.CopiedTag;
import io.bifrost.origin.live.ingest.LiveSource;
import io.bifrost.origin.live.ingest.LiveStreamException;
import io.bifrost.origin.live.ingest.RecordingLiveStreams;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link PassthroughMuxer}: after a real 720p H.264 + AAC-LC configuration, any sequence of
 * audio and video tags (bodies and timestamps from the fuzzer, parsed by ingest-rtmp's {@link FlvTagParser} as a
 * session would) goes through, asks for a new session (a changed configuration), or stops the stream with a
 * {@link LiveStreamException}; never another
 * exception, and whatever reached the packager is a well-formed fragmented MP4. Replays the corpus in a normal
 * build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class PassthroughMuxerFuzzTest
{
    private static final FlvTagParser PARSER = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
    private static final AvcDecoderConfig AVC = AvcDecoderConfig.parse(DecoderConfigTest.HIGH_720P, 0,
        DecoderConfigTest.HIGH_720P.length);
    private static final AacConfig AAC = AacConfig.parse(new byte[]{ 0x12, 0x10 }, 0, 2);
    private static final int MAX_TAGS = 64;

    @FuzzTest(maxDuration = "60s")
    void muxesOrStopsTheStreamCleanly(final FuzzedDataProvider data)
    {
        final RecordingLiveStreams streams = new RecordingLiveStreams();
        final LiveSource source = new LiveSource(VideoCodec.AVC, false, AVC, AVC.width(), AVC.height(), 30, true,
            FlvTag.SOUND_FORMAT_AAC, AAC, 0, 0);
        final PassthroughMuxer muxer = PassthroughMuxer.open(streams, "fuzz", source, 333);
        long timestamp = 0;
        try
        {
            for (int i = 0; i < MAX_TAGS && data.remainingBytes() > 0; i++)
            {
                final boolean video = data.consumeBoolean();
                timestamp = Math.max(0, timestamp + data.consumeInt(-100, 1000));
                final byte[] body = data.consumeBytes(data.consumeInt(0, 2048));
                final FlvTag tag;
                try
                {
                    tag = video ? PARSER.video(timestamp, Unpooled.wrappedBuffer(body)) :
                        PARSER.audio(timestamp, Unpooled.wrappedBuffer(body));
                }
                catch (final RtmpProtocolException ex)
                {
                    continue; // the session refuses such a message before any sink sees it
                }
                if (!muxer.onTag(CopiedTag.of(tag)))
                {
                    break; // a new configuration: the stream would finish this session and open another
                }
            }
            muxer.finish();
        }
        catch (final LiveStreamException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
            muxer.abort();
        }
        final RecordingLiveStreams.Session session = streams.only();
        assertThat(session.ended()).isTrue();
        for (final String rendition : session.renditions())
        {
            assertThat(session.recorded(rendition).ended()).isTrue();
            final CmafInspector written = CmafInspector.inspect(session.recorded(rendition).bytes());
            assertThat(written.timescale()).isPositive();
            for (final CmafInspector.Fragment fragment : written.fragments())
            {
                assertThat(fragment.samples()).isPositive();
            }
        }
    }
}
