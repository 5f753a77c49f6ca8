package io.bifrost.transcoder.job;

import io.bifrost.transcoder.ladder.VideoCodec;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.WireIn;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The durable log of VOD transcode jobs: a Chronicle Queue in a folder, appended by the origin when an upload
 * completes and read by transcode workers. Documents are self-describing wire maps with a format version, so a
 * worker refuses (and reports) a document it does not understand instead of misreading it.
 * <p>
 * Appending is thread-safe (Chronicle appenders are per thread); each {@link Reader} belongs to one thread.
 */
public final class TranscodeJobLog implements AutoCloseable
{
    /** Document format version written by this code. */
    static final int FORMAT_VERSION = 1;

    private final ChronicleQueue queue;

    /**
     * @param folder the queue folder (created when missing).
     */
    public TranscodeJobLog(final Path folder)
    {
        this.queue = ChronicleQueue.singleBuilder(folder).build();
    }

    /**
     * @param job the job.
     * @return the job's index in the log.
     */
    public long append(final TranscodeJob job)
    {
        final ExcerptAppender appender = queue.createAppender();
        try (DocumentContext document = appender.writingDocument())
        {
            document.wire().write("version").int32(FORMAT_VERSION);
            document.wire().write("videoId").text(job.videoId());
            document.wire().write("source").text(job.source().toString());
            document.wire().write("outputRoot").text(job.outputRoot().toString());
            document.wire().write("segmentSeconds").int32(job.segmentSeconds());
            document.wire().write("preset").text(job.x264Preset());
            final StringBuilder codecs = new StringBuilder();
            for (final VideoCodec codec : job.extraCodecs())
            {
                codecs.append(codecs.isEmpty() ? "" : ",").append(codec.name());
            }
            document.wire().write("extraCodecs").text(codecs);
        }
        return appender.lastIndexAppended();
    }

    /**
     * A reader from the first job in the log: a restarted worker replays every job, and idempotent publication
     * ({@link VodTranscoder}) makes the replay skip what is done.
     *
     * @return a new reader.
     */
    public Reader readFromStart()
    {
        return new Reader(queue.createTailer().toStart());
    }

    @Override
    public void close()
    {
        queue.close();
    }

    /** Reads jobs in log order. Single-threaded. */
    public static final class Reader
    {
        private final ExcerptTailer tailer;

        private Reader(final ExcerptTailer tailer)
        {
            this.tailer = tailer;
        }

        /**
         * @param sink receives the next job, or the reason a document could not be read.
         * @return true when a document was consumed, false when the log has nothing new.
         */
        public boolean next(final Sink sink)
        {
            final TranscodeJob job;
            final long index;
            try (DocumentContext document = tailer.readingDocument())
            {
                if (!document.isPresent())
                {
                    return false;
                }
                index = document.index();
                try
                {
                    job = read(document.wire());
                }
                catch (final RuntimeException ex)
                {
                    sink.onMalformed(index, ex.getMessage());
                    return true;
                }
            }
            sink.onJob(index, job);
            return true;
        }

        private static TranscodeJob read(final WireIn wire)
        {
            final int version = wire.read("version").int32();
            if (version != FORMAT_VERSION)
            {
                throw new IllegalArgumentException("job format version " + version + " is not " + FORMAT_VERSION);
            }
            final String videoId = wire.read("videoId").text();
            final String source = wire.read("source").text();
            final String outputRoot = wire.read("outputRoot").text();
            final int segmentSeconds = wire.read("segmentSeconds").int32();
            final String preset = wire.read("preset").text();
            final String codecs = wire.read("extraCodecs").text();
            if (videoId == null || source == null || outputRoot == null || preset == null)
            {
                throw new IllegalArgumentException("job document lacks a required field");
            }
            final Set<VideoCodec> extra = EnumSet.noneOf(VideoCodec.class);
            if (codecs != null && !codecs.isEmpty())
            {
                for (final String name : codecs.split(","))
                {
                    extra.add(VideoCodec.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                }
            }
            return new TranscodeJob(videoId, Path.of(source), Path.of(outputRoot), segmentSeconds, preset, extra);
        }
    }

    /** Receives what a {@link Reader} reads. */
    public interface Sink
    {
        /**
         * @param index the document's index in the log.
         * @param job   the job.
         */
        void onJob(long index, TranscodeJob job);

        /**
         * @param index  the document's index.
         * @param reason why it could not be read.
         */
        void onMalformed(long index, String reason);
    }
}
