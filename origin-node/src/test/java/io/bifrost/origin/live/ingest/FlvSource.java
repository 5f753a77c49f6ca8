package io.bifrost.origin.live.ingest;

import io.bifrost.ingest.rtmp.amf.Amf0Limits;
import io.bifrost.ingest.rtmp.amf.Amf0Reader;
import io.bifrost.ingest.rtmp.flv.FlvTag;
import io.bifrost.ingest.rtmp.flv.FlvTagParser;
import io.bifrost.ingest.rtmp.flv.TimestampExtender;
import io.bifrost.ingest.sink.IngestProtocol;
import io.bifrost.ingest.sink.MediaSink;
import io.bifrost.ingest.sink.PublishRequest;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.srt.FlvStreamReader;
import io.bifrost.origin.TestClips;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publisher side for the live ingest tests: FLV made by the real ffmpeg at test time, parsed into {@link FlvTag}s by
 * ingest-rtmp's own parsers (as the SRT bridge does), and pushed into a sink the way a session does, honouring
 * backpressure (after {@code false} nothing more until {@code resume()}).
 */
public final class FlvSource
{
    /** FLV TagType of audio (E.4.1). */
    public static final int TAG_AUDIO = 8;
    /** FLV TagType of video. */
    public static final int TAG_VIDEO = 9;

    /** The tags of one FLV file, parsed; bodies owned by the list. */
    private final List<FlvStreamReader.Tag> tags;

    private FlvSource(final List<FlvStreamReader.Tag> tags)
    {
        this.tags = tags;
    }

    /**
     * @param dir     where to write the file.
     * @param size    e.g. {@code 1280x720}.
     * @param seconds duration.
     * @param audio   whether to add a sine tone (AAC).
     * @return testsrc2 at 30 fps, libx264 with a keyframe every 2 s, AAC, as FLV.
     */
    public static FlvSource generate(final Path dir, final String size, final int seconds, final boolean audio)
        throws IOException
    {
        return read(generateFile(dir, size, seconds, audio));
    }

    /**
     * @param dir     where to write the file.
     * @param size    e.g. {@code 1280x720}.
     * @param seconds duration.
     * @param audio   whether to add a sine tone (AAC).
     * @return the file: testsrc2 at 30 fps, libx264 with a keyframe every 2 s, AAC, as FLV.
     */
    public static Path generateFile(final Path dir, final String size, final int seconds, final boolean audio)
    {
        final Path file = dir.resolve("source-" + size + (audio ? "-av" : "-v") + ".flv");
        final List<String> args = new ArrayList<>(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v", "error",
            "-y", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30"));
        if (audio)
        {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100"));
        }
        args.addAll(List.of("-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "veryfast", "-g", "60",
            "-pix_fmt", "yuv420p"));
        if (audio)
        {
            args.addAll(List.of("-c:a", "aac", "-b:a", "96k"));
        }
        args.addAll(List.of("-f", "flv", file.toString()));
        TestClips.run(args);
        return file;
    }

    /**
     * @param file an FLV file.
     * @return its tags.
     */
    public static FlvSource read(final Path file) throws IOException
    {
        final List<FlvStreamReader.Tag> tags = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file))
        {
            final FlvStreamReader reader = new FlvStreamReader(in, 16 << 20);
            FlvStreamReader.Tag tag;
            while (null != (tag = reader.next()))
            {
                tags.add(tag);
            }
        }
        return new FlvSource(tags);
    }

    /**
     * @param tags raw tags.
     * @return a source of exactly these tags.
     */
    public static FlvSource of(final List<FlvStreamReader.Tag> tags)
    {
        return new FlvSource(List.copyOf(tags));
    }

    /**
     * @return the raw tags.
     */
    public List<FlvStreamReader.Tag> tags()
    {
        return tags;
    }

    /**
     * @return the same stream with its H.264 in Enhanced RTMP video tags (veovera E-RTMP: IsExHeader, PacketType
     *         SequenceStart / CodedFrames with its composition time, FourCC {@code avc1}), as a newer encoder sends.
     */
    public FlvSource enhanced()
    {
        final List<FlvStreamReader.Tag> converted = new ArrayList<>(tags.size());
        for (final FlvStreamReader.Tag tag : tags)
        {
            final byte[] body = tag.body();
            if (TAG_VIDEO != tag.type() || body.length < 5 || 7 != (body[0] & 0x0F) || body[1] > 1)
            {
                converted.add(tag);
                continue;
            }
            final int frameType = (body[0] >>> 4) & 0x07;
            final boolean sequenceStart = 0 == body[1];
            final int header = sequenceStart ? 5 : 8;
            final byte[] enhanced = new byte[header + body.length - 5];
            enhanced[0] = (byte)(0x80 | frameType << 4 | (sequenceStart ? 0 : 1));
            enhanced[1] = 'a';
            enhanced[2] = 'v';
            enhanced[3] = 'c';
            enhanced[4] = '1';
            if (!sequenceStart)
            {
                System.arraycopy(body, 2, enhanced, 5, 3); // SI24 CompositionTime
            }
            System.arraycopy(body, 5, enhanced, header, body.length - 5);
            converted.add(new FlvStreamReader.Tag(tag.type(), tag.timestamp32(), enhanced));
        }
        return new FlvSource(converted);
    }

    /**
     * @return how many video tags carry coded frames (legacy AVC NALU packets, E-RTMP CodedFrames).
     */
    public int videoFrames()
    {
        int frames = 0;
        for (final FlvStreamReader.Tag tag : tags)
        {
            final byte[] body = tag.body();
            final boolean enhancedFrame = body.length > 0 && 0 != (body[0] & 0x80) && 1 == (body[0] & 0x0F);
            if (TAG_VIDEO == tag.type() && body.length > 1 && (enhancedFrame || 0 == (body[0] & 0x80) && 1 == body[1]))
            {
                frames++;
            }
        }
        return frames;
    }

    /**
     * @param passthrough the authorization's passthrough flag.
     * @return a publish request as the RTMP server makes it after authorization.
     */
    public static PublishRequest request(final String key, final boolean passthrough)
    {
        return new PublishRequest("live", key, "", "", null, List.of(), IngestProtocol.RTMP, null, false)
            .authorized(StreamAuthorization.allow(StreamAuthorization.derivedStreamId(key), passthrough));
    }

    /**
     * Push every tag into a sink opened by the factory, then end the publish.
     *
     * @param factory the factory under test.
     * @param request the publish.
     * @return how many times the sink paused the publisher.
     */
    public int publish(final LiveIngestSinkFactory factory, final PublishRequest request) throws InterruptedException
    {
        final Semaphore resumes = new Semaphore(0);
        final MediaSink sink = factory.open(request, resumes::release);
        final FlvTagParser parser = new FlvTagParser(new Amf0Reader(Amf0Limits.defaults()));
        final TimestampExtender timeline = new TimestampExtender();
        int pauses = 0;
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
                pauses++;
                if (!resumes.tryAcquire(30, TimeUnit.SECONDS))
                {
                    throw new AssertionError("the live sink paused and never resumed");
                }
                resumes.drainPermits();
            }
        }
        sink.onEnd(io.bifrost.ingest.sink.StreamEndReason.UNPUBLISHED);
        return pauses;
    }

    /** How long a whole stream may take to go through in a test. */
    public static final Duration STREAM_DEADLINE = Duration.ofSeconds(45);
}
