package io.bifrost.ingest.sink;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several sinks per stream: every tag to each, and the session paused until every paused sink resumed.
 */
class FanOutSinkFactoryTest
{
    private static final FlvTag TAG = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()))
        .audio(0, Unpooled.wrappedBuffer(new byte[]{(byte)0xAF, 1, 0}));
    private static final PublishRequest REQUEST = new PublishRequest("live", "sk_x", "", "", null, List.of(),
        IngestProtocol.RTMP, "st_00112233445566778899aabbccddeeff", false);

    /** A sink that answers what its test tells it, and can resume during onTag. */
    private static final class ScriptedSink implements MediaSink
    {
        final List<FlvTag> tags = new ArrayList<>();
        final List<StreamEndReason> ends = new ArrayList<>();
        SinkDemand demand;
        BooleanSupplier answer = () -> true;

        @Override
        public boolean onTag(final FlvTag tag)
        {
            tags.add(tag);
            return answer.getAsBoolean();
        }

        @Override
        public void onEnd(final StreamEndReason reason)
        {
            ends.add(reason);
        }
    }

    private final ScriptedSink first = new ScriptedSink();
    private final ScriptedSink second = new ScriptedSink();
    private final AtomicInteger upstreamResumes = new AtomicInteger();

    private MediaSink open()
    {
        return new FanOutSinkFactory(List.of(
            (request, demand) ->
            {
                first.demand = demand;
                return first;
            },
            (request, demand) ->
            {
                second.demand = demand;
                return second;
            })).open(REQUEST, upstreamResumes::incrementAndGet);
    }

    @Test
    void shouldDeliverEveryTagAndEndToEverySink()
    {
        final MediaSink sink = open();

        assertThat(sink.onTag(TAG)).isTrue();
        assertThat(sink.onTag(TAG)).isTrue();
        sink.onEnd(StreamEndReason.UNPUBLISHED);

        assertThat(first.tags).hasSize(2);
        assertThat(second.tags).hasSize(2);
        assertThat(first.ends).containsExactly(StreamEndReason.UNPUBLISHED);
        assertThat(second.ends).containsExactly(StreamEndReason.UNPUBLISHED);
    }

    @Test
    void shouldResumeUpstreamOnlyWhenEveryPausedSinkResumed()
    {
        final MediaSink sink = open();
        first.answer = () -> false;
        second.answer = () -> false;

        assertThat(sink.onTag(TAG)).isFalse();
        first.demand.resume();
        assertThat(upstreamResumes).hasValue(0);
        second.demand.resume();
        assertThat(upstreamResumes).hasValue(1);
        second.demand.resume();
        assertThat(upstreamResumes).hasValue(1);
    }

    @Test
    void shouldNotPauseWhenResumeRacesAheadOfFalse()
    {
        final MediaSink sink = open();
        second.answer = () ->
        {
            second.demand.resume();
            return false;
        };

        assertThat(sink.onTag(TAG)).isTrue();
        assertThat(upstreamResumes).hasValue(0);
    }

    @Test
    void shouldDropFailingSinkAndKeepFeedingTheOthers()
    {
        final MediaSink sink = open();
        first.answer = () ->
        {
            throw new IllegalStateException("disk gone");
        };

        assertThat(sink.onTag(TAG)).isTrue();
        assertThat(sink.onTag(TAG)).isTrue();

        assertThat(first.tags).hasSize(1);
        assertThat(second.tags).hasSize(2);
    }
}
