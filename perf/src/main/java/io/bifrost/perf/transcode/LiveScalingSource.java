package io.bifrost.perf.transcode;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.rtmp.flv.TimestampExtender;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.sink.StreamEndReason;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.bifrost.origin.live.ingest.LiveIngestSinkFactory;
import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The live comparison's publisher: an FLV generated once by ffmpeg (testsrc2, 30 fps, libx264 veryfast with a
 * keyframe every 2 s, sine AAC), parsed into tags by ingest-rtmp's own reader, and pushed into a sink of the live
 * ingest the way an RTMP session does, as fast as the sink's backpressure allows (after {@code false} nothing more
 * until the sink resumes). Immutable after {@link #generate}; {@link #publish} may run on many threads at once.
 */
final class LiveScalingSource
{
    /** Source frame rate (frames per second). */
    static final int FRAME_RATE = 30;
    /** FLV TagType of audio (FLV spec E.4.1). */
    private static final int TAG_AUDIO = 8;
    /** FLV TagType of video (FLV spec E.4.1). */
    private static final int TAG_VIDEO = 9;
    /** Largest tag body read: a 4K keyframe fits well inside. */
    private static final int MAX_TAG_BYTES = 16 << 20;
    /** Generating a second of 720p at veryfast takes well under this on any CPU the comparison runs on. */
    private static final Duration TIMEOUT_PER_SOURCE_SECOND = Duration.ofSeconds(20);
    /** A paused publish that is not resumed within this is a stuck ingest, not a slow one. */
    private static final long RESUME_TIMEOUT_SECONDS = 60;

    private final List<FlvStreamReader.Tag> tags;

    private LiveScalingSource(final List<FlvStreamReader.Tag> tags)
    {
        this.tags = tags;
    }

    /**
     * @param ffmpeg  the executable.
     * @param size    picture size, e.g. {@code 1280x720}.
     * @param seconds duration.
     * @param target  the FLV to write (replaced if it exists).
     * @return the ffmpeg command line.
     */
    static List<String> command(final Path ffmpeg, final String size, final int seconds, final Path target)
    {
        return List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=" + FRAME_RATE,
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", Integer.toString(seconds),
            "-c:v", "libx264", "-preset", "veryfast", "-g", Integer.toString(2 * FRAME_RATE), "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2",
            "-f", "flv", target.toAbsolutePath().toString());
    }

    /**
     * @param ffmpeg  the executable.
     * @param size    picture size, e.g. {@code 1280x720}.
     * @param seconds duration.
     * @param target  the FLV to write.
     * @return its tags, read into memory.
     * @throws TranscodeException when ffmpeg fails.
     * @throws IOException        when the file cannot be read back.
     */
    static LiveScalingSource generate(final Path ffmpeg, final String size, final int seconds, final Path target)
        throws TranscodeException, IOException
    {
        try (ChildProcess process = ChildProcess.start(command(ffmpeg, size, seconds, target), target.getParent(),
            stdout -> stdout.transferTo(OutputStream.nullOutputStream())))
        {
            process.awaitSuccess(TIMEOUT_PER_SOURCE_SECOND.multipliedBy(seconds).plusSeconds(30));
        }
        final List<FlvStreamReader.Tag> tags = new ArrayList<>();
        try (InputStream in = Files.newInputStream(target))
        {
            final FlvStreamReader reader = new FlvStreamReader(in, MAX_TAG_BYTES);
            FlvStreamReader.Tag tag;
            while (null != (tag = reader.next()))
            {
                tags.add(tag);
            }
        }
        if (tags.isEmpty())
        {
            throw new IOException(target + " holds no FLV tags");
        }
        return new LiveScalingSource(List.copyOf(tags));
    }

    /**
     * @param key the stream key.
     * @return a transcoded (not passthrough) publish request as the RTMP server makes it after authorization.
     */
    static PublishRequest request(final String key)
    {
        return new PublishRequest("live", key, "", "", null, List.of(), IngestProtocol.RTMP, null, false)
            .authorized(StreamAuthorization.allow(StreamAuthorization.derivedStreamId(key), false));
    }

    /**
     * Push every tag into a sink opened by the factory as fast as it takes them, then end the publish.
     *
     * @param factory the live ingest.
     * @param request the publish.
     * @throws InterruptedException when interrupted while paused.
     * @throws IllegalStateException when the sink paused and did not resume within a minute.
     */
    void publish(final LiveIngestSinkFactory factory, final PublishRequest request) throws InterruptedException
    {
        final Semaphore resumes = new Semaphore(0);
        final MediaSink sink = factory.open(request, resumes::release);
        final FlvTagParser parser = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
        final TimestampExtender timeline = new TimestampExtender();
        for (final FlvStreamReader.Tag raw : tags)
        {
            final long timestamp = timeline.extend(raw.timestamp32());
            final FlvTag tag = switch (raw.type())
            {
                case TAG_AUDIO -> parser.audio(timestamp, Unpooled.wrappedBuffer(raw.body()));
                case TAG_VIDEO -> parser.video(timestamp, Unpooled.wrappedBuffer(raw.body()));
                default -> parser.script(timestamp, Unpooled.wrappedBuffer(raw.body()));
            };
            if (!sink.onTag(tag))
            {
                if (!resumes.tryAcquire(RESUME_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("stream " + request.streamId() + ": the live sink paused and " +
                        "did not resume within " + RESUME_TIMEOUT_SECONDS + " s");
                }
                resumes.drainPermits();
            }
        }
        sink.onEnd(StreamEndReason.UNPUBLISHED);
    }
}
