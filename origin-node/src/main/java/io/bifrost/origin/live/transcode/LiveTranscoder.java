package io.bifrost.origin.live.transcode;

import io.bifrost.ingest.rtmp.flv.VideoCodec;
import io.bifrost.origin.live.LiveSession;
import io.bifrost.origin.live.LiveTrack;
import io.bifrost.origin.live.TrackKind;
import io.bifrost.origin.live.LiveStreams;
import io.bifrost.origin.live.ingest.CopiedTag;
import io.bifrost.origin.live.ingest.LiveIngestContext;
import io.bifrost.origin.live.ingest.LiveProducer;
import io.bifrost.origin.live.ingest.LiveSource;
import io.bifrost.origin.live.ingest.LiveStreamException;
import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.LadderPlanner;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.probe.AudioStreamInfo;
import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.VideoStreamInfo;
import io.bifrost.transcoder.scale.FrameSize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The live transcoder of one stream (DESIGN.md sections 2 and 5): one ffmpeg child process reads the publish as FLV on
 * its stdin, decodes once and writes every rung of the ladder (never above the source; {@link LadderPlanner}'s rules)
 * and the AAC audio as fragmented MP4, each into its own named pipe in a per-stream directory, from which a
 * {@link FifoReader} thread per rendition feeds the packager. With {@code origin.live-scaling} batched
 * ({@link LiveScaling}) the ffmpeg only decodes (and encodes the audio), and a {@link RawFrameLadder} has the origin's
 * batcher scale the frames and one encoder per rung write the same pipes. Keyframes sit on the segment grid in every
 * rung, and by default on every second in between too ({@link LiveIngestContext#keyframeSeconds(double)}), and one
 * fragment is one part (see {@link LiveLadderCommand}).
 *
 * <p>H.264 in Enhanced RTMP tags is rewritten as legacy AVC tags on the way ({@link LegacyAvcTags}); other E-RTMP
 * codecs (HEVC, AV1, VP9) are refused, since ffmpeg 5.1 cannot demux them from FLV.
 *
 * <p>Failures become {@link LiveStreamException}s (reason FFMPEG) that quote ffmpeg's last stderr lines and its exit
 * code: ffmpeg that cannot start, dies mid-stream (the next write to its stdin fails), or exits non-zero at the end.
 * The end of a publish closes stdin, waits up to the stop timeout for ffmpeg to flush and exit, then kills it; the
 * readers end their tracks at end of file, then the session ends and the pipes are removed.
 *
 * <p>Threading: the stream's writer thread calls {@link #onTag}, {@link #finish} and {@link #abort};
 * {@link #unblock()} may come from any thread.
 */
public final class LiveTranscoder implements LiveProducer
{
    /** The audio rendition's name. */
    public static final String AUDIO_RENDITION = "audio";
    /** FLV header (E.2): "FLV", version 1, flags, DataOffset 9; then PreviousTagSize0 = 0. */
    private static final byte[] FLV_HEADER = { 'F', 'L', 'V', 1, 0, 0, 0, 0, 9, 0, 0, 0, 0 };
    private static final int FLV_FLAGS_AT = 4;
    private static final int FLV_HAS_AUDIO = 0x04;
    private static final int FLV_HAS_VIDEO = 0x01;
    private static final Duration READER_JOIN = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(LiveTranscoder.class);

    private final String streamId;
    private final LiveSession session;
    private final Path directory;
    private final List<FifoReader> readers;
    private final Duration stopTimeout;
    private ChildProcess process;
    private volatile RawFrameLadder ladder;
    private OutputStream stdin;
    private boolean ended;

    private LiveTranscoder(final String streamId, final LiveSession session, final Path directory,
        final List<FifoReader> readers, final Duration stopTimeout)
    {
        this.streamId = streamId;
        this.session = session;
        this.directory = directory;
        this.readers = readers;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Plan the ladder, open the live session, make the pipes, start the readers and ffmpeg, and write the FLV header.
     *
     * @param context  the live settings.
     * @param streamId the stream.
     * @param source   what the publish carries.
     * @return the running transcoder, ready for the stream's tags from the first one on.
     * @throws LiveStreamException (SOURCE) for a source ffmpeg cannot read here, (FFMPEG) when it cannot start.
     */
    public static LiveTranscoder start(final LiveIngestContext context, final String streamId, final LiveSource source)
    {
        return start(context, context.liveStreams(), streamId, source);
    }

    /**
     * @param context  the live settings.
     * @param streams  where the session is opened (the context's packager, possibly wrapped).
     * @param streamId the stream.
     * @param source   what the publish carries.
     * @return the running transcoder, ready for the stream's tags from the first one on.
     * @throws LiveStreamException (SOURCE) for a source ffmpeg cannot read here, (FFMPEG) when it cannot start.
     */
    public static LiveTranscoder start(final LiveIngestContext context, final LiveStreams streams, final String streamId,
        final LiveSource source)
    {
        if (source.enhanced() && VideoCodec.AVC != source.videoCodec())
        {
            throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "stream " + streamId + " sends " +
                source.videoCodec() + " in Enhanced RTMP tags, which ffmpeg 5.1 cannot read; publish H.264");
        }
        if (source.width() <= 0 || source.height() <= 0)
        {
            throw new LiveStreamException(LiveStreamException.Reason.SOURCE, "stream " + streamId +
                ": the picture size is unknown (no H.264 sequence header and no width/height in onMetaData)");
        }
        final LadderPlan plan = plan(context, source);
        final boolean audio = source.hasAudio();
        final List<LiveTrack> tracks = new ArrayList<>();
        for (final VideoRendition rendition : plan.video())
        {
            tracks.add(new LiveTrack(rendition.name(), TrackKind.VIDEO, (int)Math.min(Integer.MAX_VALUE,
                rendition.maxrateBps()), rendition.width(), rendition.height(), rendition.frameRate().toDouble()));
        }
        if (audio)
        {
            tracks.add(new LiveTrack(AUDIO_RENDITION, TrackKind.AUDIO, context.audioBitrateBps(), 0, 0, 0));
        }

        final Path directory = NamedPipes.directory(streamId, context.workDir());
        final List<Path> videoPipes = new ArrayList<>();
        for (final VideoRendition rendition : plan.video())
        {
            videoPipes.add(directory.resolve(rendition.name() + ".mp4"));
        }
        final Path audioPipe = audio ? directory.resolve(AUDIO_RENDITION + ".mp4") : null;
        final List<Path> pipes = new ArrayList<>(videoPipes);
        if (audio)
        {
            pipes.add(audioPipe);
        }
        try
        {
            NamedPipes.make(streamId, directory, pipes);
        }
        catch (final LiveStreamException ex)
        {
            NamedPipes.delete(streamId, directory);
            throw ex;
        }

        final LiveSession session;
        try
        {
            session = streams.open(streamId, tracks);
        }
        catch (final IllegalArgumentException ex)
        {
            NamedPipes.delete(streamId, directory);
            throw new LiveStreamException(LiveStreamException.Reason.PACKAGER, "stream " + streamId +
                ": the packager refused the ladder " + tracks + ": " + ex.getMessage(), ex);
        }
        final List<FifoReader> readers = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++)
        {
            final String rendition = tracks.get(i).rendition();
            readers.add(new FifoReader(streamId, rendition, pipes.get(i), session.track(rendition)));
        }
        final LiveTranscoder transcoder = new LiveTranscoder(streamId, session, directory, readers,
            context.stopTimeout());
        readers.forEach(FifoReader::start);

        final boolean capFrameRate = source.frameRate() > plan.video().get(0).frameRate().toDouble() + 0.01;
        final LiveLadderCommand command = new LiveLadderCommand(context.ffmpeg(), plan, videoPipes, audioPipe,
            context.x264Preset(), context.partTargetMs(), capFrameRate, context.audioBitrateBps(),
            context.segmentSeconds(), context.keyframesPerSegment());
        try
        {
            if (context.scaling().batched())
            {
                transcoder.ladder = RawFrameLadder.start(streamId, command,
                    new FrameSize(source.width(), source.height()), context.scaling().batcher(), directory);
                transcoder.process = ChildProcess.startWithStdin(command.decoderArguments(source.width(),
                    source.height()), directory, transcoder.ladder::readFrames);
                transcoder.ladder.decoder(transcoder.process);
            }
            else
            {
                transcoder.process = ChildProcess.startWithStdin(command.arguments(), directory,
                    LiveTranscoder::discard);
            }
        }
        catch (final IllegalStateException ex)
        {
            transcoder.abort();
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId +
                ": the live scale batcher refused it: " + ex.getMessage(), ex);
        }
        catch (final TranscodeException ex)
        {
            transcoder.abort();
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId + ": " +
                ex.getMessage() + " (the live transcoder's ffmpeg is origin.live.ffmpeg)", ex);
        }
        transcoder.stdin = transcoder.process.stdin();
        final byte[] header = FLV_HEADER.clone();
        header[FLV_FLAGS_AT] = (byte)(FLV_HAS_VIDEO | (audio ? FLV_HAS_AUDIO : 0));
        transcoder.write(header, 0, header.length);
        LOG.info("live {}: transcoding {} into {} (ffmpeg pid {}; scaling {})", streamId, source,
            describe(plan, audio), transcoder.process.pid(), null == transcoder.ladder ? "in ffmpeg" : "batched");
        return transcoder;
    }

    private static void discard(final InputStream stdout) throws IOException
    {
        stdout.transferTo(OutputStream.nullOutputStream());
    }

    static LadderPlan plan(final LiveIngestContext context, final LiveSource source)
    {
        final FrameRate rate = source.frameRate() > 0 ?
            frameRate(source.frameRate()) : FrameRate.of(30);
        final VideoStreamInfo video = new VideoStreamInfo(VideoCodec.AVC == source.videoCodec() ? "h264" : "flv",
            source.width(), source.height(), 0, "yuv420p", 8, rate, rate, -1);
        final AudioStreamInfo audio = source.hasAudio() ?
            new AudioStreamInfo("aac", AudioRendition.CHANNELS, AudioRendition.SAMPLE_RATE_HZ) : null;
        return LadderPlanner.plan(new SourceInfo("flv", 0, 0, video, audio), context.ladderOptions());
    }

    /** 29.97 and friends become their exact NTSC fractions; other rates are kept to a thousandth. */
    private static FrameRate frameRate(final double fps)
    {
        final double ntsc = fps * 1001 / 1000;
        if (Math.abs(ntsc - Math.round(ntsc)) < 0.005 && Math.abs(fps - Math.round(fps)) > 0.005)
        {
            return new FrameRate(Math.round(ntsc) * 1000, 1001);
        }
        return new FrameRate(Math.round(fps * 1000), 1000);
    }

    @Override
    public boolean onTag(final CopiedTag tag)
    {
        for (final FifoReader reader : readers)
        {
            if (null != reader.refusal())
            {
                throw new LiveStreamException(LiveStreamException.Reason.PACKAGER, "stream " + streamId +
                    ": the packager refused rendition " + reader.rendition() + ": " + reader.refusal());
            }
        }
        if (null != ladder && null != ladder.failure())
        {
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId + ": " +
                ladder.failure());
        }
        final byte[] flv = LegacyAvcTags.needsRewrite(tag) ? LegacyAvcTags.rewrite(tag) : tag.flv();
        if (null != flv)
        {
            write(flv, 0, flv.length);
        }
        return true; // ffmpeg follows a new sequence header by itself (the scalers adapt)
    }

    private void write(final byte[] bytes, final int offset, final int length)
    {
        try
        {
            stdin.write(bytes, offset, length);
            stdin.flush();
        }
        catch (final IOException ex)
        {
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId +
                ": ffmpeg stopped reading its input: " + exitDescription(), ex);
        }
    }

    /** After a failed write: wait briefly for ffmpeg to finish dying so its exit and last words can be quoted. */
    private String exitDescription()
    {
        if (null != ladder && null != ladder.failure())
        {
            return ladder.failure(); // the decoder was killed because an encoder failed
        }
        try
        {
            final int exit = process.awaitExit(Duration.ofSeconds(2));
            return "exit code " + exit + ": " + process.stderr().summary();
        }
        catch (final TranscodeException ex)
        {
            return ex.getMessage();
        }
    }

    @Override
    public void finish()
    {
        if (ended)
        {
            return;
        }
        ended = true;
        int exit = -1;
        String failure = null;
        try
        {
            try
            {
                stdin.close();
            }
            catch (final IOException ex)
            {
                LOG.debug("live {}: closing ffmpeg's stdin: {}", streamId, ex.toString());
            }
            exit = process.awaitExit(stopTimeout);
            if (null != ladder && null != ladder.failure())
            {
                failure = ladder.failure();
            }
            else if (0 != exit)
            {
                failure = "ffmpeg exited with code " + exit + ": " + process.stderr().summary();
            }
            else if (null != ladder)
            {
                failure = ladder.finish(stopTimeout);
            }
        }
        catch (final TranscodeException ex)
        {
            failure = ex.getMessage();
        }
        finally
        {
            stopReaders();
        }
        if (null != failure)
        {
            throw new LiveStreamException(LiveStreamException.Reason.FFMPEG, "stream " + streamId + ": " + failure);
        }
        LOG.info("live {}: transcoder finished ({}{})", streamId, describeOutputs(),
            null == ladder ? "" : "; " + ladder.describe());
    }

    @Override
    public void abort()
    {
        if (ended)
        {
            return;
        }
        ended = true;
        if (null != process)
        {
            process.close();
        }
        stopReaders();
    }

    @Override
    public void unblock()
    {
        final ChildProcess running = process;
        if (null != running)
        {
            running.close();
        }
        final RawFrameLadder batched = ladder;
        if (null != batched)
        {
            batched.close();
        }
    }

    private void stopReaders()
    {
        if (null != process)
        {
            process.close();
        }
        if (null != ladder)
        {
            ladder.close();
        }
        for (final FifoReader reader : readers)
        {
            reader.release();
        }
        for (final FifoReader reader : readers)
        {
            try
            {
                if (!reader.join(READER_JOIN))
                {
                    LOG.warn("live {}: rendition {}'s reader did not finish", streamId, reader.rendition());
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        session.end();
        NamedPipes.delete(streamId, directory);
    }

    private String describeOutputs()
    {
        final StringBuilder text = new StringBuilder();
        for (final FifoReader reader : readers)
        {
            text.append(text.isEmpty() ? "" : ", ").append(reader.rendition()).append(' ').append(reader.bytes())
                .append(" bytes");
        }
        return text.toString();
    }

    private static String describe(final LadderPlan plan, final boolean audio)
    {
        final StringBuilder text = new StringBuilder();
        for (final VideoRendition rendition : plan.video())
        {
            text.append(text.isEmpty() ? "" : ", ").append(rendition.name()).append(' ').append(rendition.width())
                .append('x').append(rendition.height());
        }
        return audio ? text + " + audio" : text.toString();
    }
}
