package io.bifrost.ingest.record;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The FLV recorder: the file it writes, its byte bound and its backpressure.
 */
class FlvRecordingTest
{
    private static final String STREAM = "st_00112233445566778899aabbccddeeff";
    private static final FlvTagParser PARSER = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static PublishRequest request(final String streamId)
    {
        return new PublishRequest("live", "sk_x", "", "", null, List.of(), IngestProtocol.RTMP, streamId, false);
    }

    private static FlvTag video(final long timestampMs, final int bodyBytes)
    {
        final byte[] body = new byte[bodyBytes];
        body[0] = 0x27;
        body[1] = 1;
        for (int i = 5; i < bodyBytes; i++)
        {
            body[i] = (byte)(timestampMs + i);
        }
        return PARSER.video(timestampMs, Unpooled.wrappedBuffer(body));
    }

    private static List<FlvStreamReader.Tag> readBack(final Path file) throws IOException
    {
        final List<FlvStreamReader.Tag> tags = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file))
        {
            final FlvStreamReader reader = new FlvStreamReader(in, 1 << 20);
            FlvStreamReader.Tag tag;
            while (null != (tag = reader.next()))
            {
                tags.add(tag);
            }
        }
        return tags;
    }

    private FlvRecordingSinkFactory factory(final long maxBytes)
    {
        return new FlvRecordingSinkFactory(dir, maxBytes, Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L),
            ZoneOffset.UTC), meters);
    }

    @Test
    void shouldWriteFlvHeaderAndEveryTagWithItsTimestampUnderStreamIdAndEpoch() throws IOException
    {
        final Path file = dir.resolve("recordings").resolve(STREAM).resolve("1700000000000.flv");
        final byte[] audio = {(byte)0xAF, 1, 0x21, 0x10};
        try (FlvRecordingSinkFactory factory = factory(1 << 20))
        {
            final MediaSink sink = factory.open(request(STREAM), () -> { });
            assertThat(sink.onTag(PARSER.audio(0x1_2345_6789L, Unpooled.wrappedBuffer(audio)))).isTrue();
            for (int i = 0; i < 10; i++)
            {
                assertThat(sink.onTag(video(i * 40L, 100 + i))).isTrue();
            }
            sink.onEnd(StreamEndReason.UNPUBLISHED);
        }

        final byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLV");
        final List<FlvStreamReader.Tag> tags = readBack(file);
        assertThat(tags).hasSize(11);
        assertThat(tags.get(0).type()).isEqualTo(8);
        assertThat(tags.get(0).timestamp32()).isEqualTo(0x2345_6789L);
        assertThat(tags.get(0).body()).isEqualTo(audio);
        assertThat(tags.get(10).timestamp32()).isEqualTo(360);
        assertThat(tags.get(10).body()).hasSize(109);
        assertThat(meters.get("bifrost.ingest.recording.started").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldStopRecordingAtMaxBytesAndKeepTheFileReadable() throws IOException
    {
        try (FlvRecordingSinkFactory factory = factory(2_000))
        {
            final MediaSink sink = factory.open(request(STREAM), () -> { });
            for (int i = 0; i < 100; i++)
            {
                sink.onTag(video(i * 40L, 100));
            }
            sink.onEnd(StreamEndReason.DISCONNECTED);
            await().until(() -> 1 == factory.truncatedRecordings());
        }

        final Path file = dir.resolve("recordings").resolve(STREAM).resolve("1700000000000.flv");
        assertThat(Files.size(file)).isLessThanOrEqualTo(2_000);
        assertThat(readBack(file)).hasSize((2_000 - 13) / 115);
        assertThat(meters.get("bifrost.ingest.recording.dropped.tags").counter().count())
            .isEqualTo(100 - (2_000 - 13) / 115);
    }

    @Test
    void shouldPauseWhenDiskFallsBehindAndResumeOnceDrained() throws IOException
    {
        final ArrayDeque<Runnable> writer = new ArrayDeque<>();
        final AtomicInteger resumes = new AtomicInteger();
        final FlvRecording sink = new FlvRecording(dir.resolve("r.flv"), 1 << 30, 10_000, resumes::incrementAndGet,
            writer::add, new RecordingMetrics(meters),
            new RecordingBudget(RecordingBudget.MIN_BYTES), ByteBufAllocator.DEFAULT);

        int accepted = 0;
        while (sink.onTag(video(accepted * 40L, 1_000)))
        {
            accepted++;
        }
        assertThat(accepted).isEqualTo(9);
        assertThat(resumes).hasValue(0);

        writer.poll().run();

        assertThat(resumes).hasValue(1);
        assertThat(readBack(dir.resolve("r.flv"))).hasSize(10);
        assertThat(meters.get("bifrost.ingest.recording.pauses").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToOpenWithoutAuthorizedStreamId()
    {
        try (FlvRecordingSinkFactory factory = factory(1 << 20))
        {
            assertThatThrownBy(() -> factory.open(request("../../etc"), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream id");
        }
    }
}
