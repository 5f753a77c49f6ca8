package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ffmpeg.BoundedLines;
import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.ProgressListener;
import io.bifrost.transcoder.ffmpeg.ProgressParser;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.probe.SourceInfo;
import io.bifrost.transcoder.probe.VideoStreamInfo;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.bifrost.transcoder.thumbnail.FrameStills;
import io.bifrost.transcoder.thumbnail.ThumbnailPlan;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The ladder encode with scaling outside ffmpeg (the JCuda backend's path; DESIGN.md section 6): one ffmpeg decodes
 * the source once to raw 8-bit I420 frames at the planned constant rate ({@code fps}, then {@code format=yuv420p}, so
 * 10-bit sources become 8-bit as on the CPU path); a {@link LadderScaler} (the CUDA kernel, or {@link
 * io.bifrost.transcoder.scale.AreaLadderScaler} on the CPU) turns each batch of frames into every rung in one
 * launch; each video rendition is encoded by its own ffmpeg reading raw frames on stdin with exactly the encoder and
 * HLS arguments of {@link TranscodeCommand}, and the audio renditions by one more ffmpeg from the source.
 * <p>
 * One thread (the decoder's stdout drain) reads a batch into a free scaler slot, submits it, and writes the oldest
 * finished slot to the encoders: with two slots the next batch is read while the previous one is scaled. Encoders
 * only need their own stdin, so blocking writes cannot deadlock; a dead encoder breaks its pipe, which fails the run
 * with that encoder's stderr. Progress comes from the largest rendition's encoder. Thread-safe (each call has its
 * own processes and scaler).
 */
public final class RawFrameLadderEncoder implements LadderEncoding
{
    private final Path ffmpeg;
    private final Duration minTimeout;
    private final double timeoutFactor;
    private final Function<ScaleJobTable, LadderScaler> scalers;
    private final EncoderFamily encoderFamily;

    /**
     * @param ffmpeg        the executable.
     * @param minTimeout    the fixed part of the deadline.
     * @param timeoutFactor seconds allowed per second of source.
     * @param scalers       opens a scaler for a job's table (closed by this encoder when the job ends).
     */
    public RawFrameLadderEncoder(final Path ffmpeg, final Duration minTimeout, final double timeoutFactor,
        final Function<ScaleJobTable, LadderScaler> scalers)
    {
        this(ffmpeg, minTimeout, timeoutFactor, scalers, EncoderFamily.SOFTWARE);
    }

    /**
     * @param ffmpeg        the executable.
     * @param minTimeout    the fixed part of the deadline.
     * @param timeoutFactor seconds allowed per second of source.
     * @param scalers       opens a scaler for a job's table (closed by this encoder when the job ends).
     * @param encoders      software or NVENC for the H.264/HEVC renditions.
     */
    public RawFrameLadderEncoder(final Path ffmpeg, final Duration minTimeout, final double timeoutFactor,
        final Function<ScaleJobTable, LadderScaler> scalers, final EncoderFamily encoders)
    {
        this.encoderFamily = encoders;
        this.ffmpeg = ffmpeg;
        this.minTimeout = minTimeout;
        this.timeoutFactor = timeoutFactor;
        this.scalers = scalers;
    }

    /**
     * @param video the source's video stream.
     * @return the size ffmpeg decodes it to: stored size, turned for a quarter-turn rotation (applied on decode).
     */
    public static FrameSize decodedSize(final VideoStreamInfo video)
    {
        return video.isQuarterTurn() ? new FrameSize(video.codedHeight(), video.codedWidth()) :
            new FrameSize(video.codedWidth(), video.codedHeight());
    }

    /**
     * @param plan a ladder.
     * @return the distinct rendition sizes, in first-use order (extra codecs share their rung's size).
     */
    public static List<FrameSize> rungSizes(final LadderPlan plan)
    {
        final Map<FrameSize, Integer> sizes = new LinkedHashMap<>();
        for (final VideoRendition rendition : plan.video())
        {
            sizes.putIfAbsent(new FrameSize(rendition.width(), rendition.height()), sizes.size());
        }
        return List.copyOf(sizes.keySet());
    }

    @Override
    public void encode(final Path source, final LadderPlan plan, final Path outputDir, final ProgressListener listener)
        throws TranscodeException
    {
        encode(source, plan, outputDir, listener, null, null);
    }

    /**
     * Also draws the poster and every sprite tile from the decoded frames ({@link FrameStills}) and writes
     * {@code poster.jpg}, {@code sprite.jpg} and {@code sprite.vtt} into {@code thumbnailFolder}.
     */
    @Override
    public boolean encodeWithStills(final Path source, final LadderPlan plan, final Path outputDir,
        final ProgressListener listener, final ThumbnailPlan thumbnails, final Path thumbnailFolder)
        throws TranscodeException
    {
        encode(source, plan, outputDir, listener, thumbnails, thumbnailFolder);
        return true;
    }

    private void encode(final Path source, final LadderPlan plan, final Path outputDir,
        final ProgressListener listener, final ThumbnailPlan thumbnails, final Path thumbnailFolder)
        throws TranscodeException
    {
        createFolders(plan, outputDir);
        if (thumbnailFolder != null)
        {
            createFolder(thumbnailFolder);
        }
        final long deadlineNanos = System.nanoTime() + timeoutFor(plan.source().durationSeconds()).toNanos();
        final FrameSize decoded = decodedSize(plan.source().video());
        final List<FrameSize> sizes = rungSizes(plan);
        final ScaleJobTable table = new ScaleJobTable(decoded, PixelLayout.I420, sizes, PixelLayout.I420);
        final List<VideoRendition> video = plan.video();
        final int progressIndex = largest(video);
        final ProgressParser progress = new ProgressParser(plan.source().durationSeconds(), listener);
        final FrameStills stills = thumbnails == null ? null :
            FrameStills.of(thumbnails, decoded, video.get(0).frameRate());

        final List<ChildProcess> encoders = new ArrayList<>();
        ChildProcess audio = null;
        try (LadderScaler scaler = openScaler(table))
        {
            for (int i = 0; i < video.size(); i++)
            {
                final boolean reports = i == progressIndex;
                encoders.add(ChildProcess.startWithStdin(encodeCommand(video.get(i), plan, reports), outputDir,
                    reports ? stdout -> BoundedLines.forEach(stdout, LadderEncoder.PROGRESS_LINE_BYTES,
                        progress::onLine) : stdout -> stdout.transferTo(OutputStream.nullOutputStream())));
            }
            if (!plan.audio().isEmpty())
            {
                audio = ChildProcess.start(audioCommand(source, plan), outputDir,
                    stdout -> stdout.transferTo(OutputStream.nullOutputStream()));
            }
            final FramePump pump = newPump(scaler, encoders, video, sizes, stills);
            TranscodeException failure = null;
            try (ChildProcess decoder = ChildProcess.start(decodeCommand(source, plan, decoded), outputDir,
                pump::run))
            {
                pump.onFailureKill(decoder);
                decoder.awaitSuccess(remaining(deadlineNanos));
            }
            catch (final TranscodeException ex)
            {
                failure = ex;
            }
            if (pump.failure() != null)
            {
                // the decoder was killed because scaling or an encoder pipe failed: that is the error to report
                failure = new TranscodeException("scaling the ladder failed: " + pump.failure(), pump.failure());
            }
            failure = awaitEncoders(encoders, audio, deadlineNanos, failure);
            if (failure != null)
            {
                throw failure;
            }
            final double encodedSeconds = pump.frames() / video.get(0).frameRate().toDouble();
            final double sourceSeconds = videoSeconds(plan.source());
            if (encodedSeconds < sourceSeconds * LadderEncoder.MIN_ENCODED_SHARE - LadderEncoder.MIN_ENCODED_SLACK_SECONDS)
            {
                throw new TranscodeException(String.format(Locale.ROOT,
                    "only %d frames (%.2f s) of the source's %.2f s of video were decoded: the source is truncated or " +
                    "corrupt", pump.frames(), encodedSeconds, sourceSeconds));
            }
            if (stills != null && pump.spriteCanvas() == null)
            {
                throw new TranscodeException("no frame was decoded, so there are no thumbnails to draw");
            }
            if (stills != null)
            {
                stills.writeJpegs(ffmpeg, pump.spriteCanvas(), pump.posterCanvas(), thumbnailFolder,
                    remaining(deadlineNanos));
            }
        }
        finally
        {
            for (final ChildProcess encoder : encoders)
            {
                encoder.close();
            }
            if (audio != null)
            {
                audio.close();
            }
        }
        for (final VideoRendition rendition : video)
        {
            LadderEncoder.requirePlaylist(outputDir, rendition.name());
        }
        for (final AudioRendition rendition : plan.audio())
        {
            LadderEncoder.requirePlaylist(outputDir, rendition.name());
        }
    }

    private LadderScaler openScaler(final ScaleJobTable table) throws TranscodeException
    {
        try
        {
            return scalers.apply(table);
        }
        catch (final RuntimeException ex)
        {
            // e.g. the device ran out of memory or the driver refused the PTX: a failed job, not a crashed worker
            throw new TranscodeException("cannot open the ladder scaler for " + table.source() + " -> " +
                table.outputs() + ": " + ex.getMessage(), ex);
        }
    }

    private static FramePump newPump(final LadderScaler scaler, final List<ChildProcess> encoders,
        final List<VideoRendition> video, final List<FrameSize> sizes, final FrameStills stills)
        throws TranscodeException
    {
        try
        {
            return new FramePump(scaler, encoders, video, sizes, stills);
        }
        catch (final RuntimeException ex)
        {
            throw new TranscodeException("cannot prepare thumbnails on the ladder scaler (" + stills + "): " +
                ex.getMessage(), ex);
        }
    }

    /**
     * @param durationSeconds the source duration.
     * @return the deadline for the whole encode.
     */
    public Duration timeoutFor(final double durationSeconds)
    {
        return minTimeout.plusMillis((long)Math.ceil(durationSeconds * timeoutFactor * 1000.0));
    }

    List<String> decodeCommand(final Path source, final LadderPlan plan, final FrameSize decoded)
    {
        // scale=W:H is a no-op at the probed size; it pins the raw frame size should the stream change size midway
        return List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats",
            "-i", "file:" + source.toAbsolutePath(), "-map", "0:v:0",
            "-vf", "fps=" + plan.video().get(0).frameRate().toFfmpeg() + ",scale=" + decoded.width() + ":" +
            decoded.height() + ",format=yuv420p",
            "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1");
    }

    private List<String> encodeCommand(final VideoRendition rendition, final LadderPlan plan, final boolean reports)
    {
        final List<String> args = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error",
            "-nostats"));
        if (reports)
        {
            args.addAll(List.of("-progress", "pipe:1"));
        }
        args.addAll(List.of("-y", "-f", "rawvideo", "-pix_fmt", "yuv420p",
            "-s", rendition.width() + "x" + rendition.height(),
            "-framerate", rendition.frameRate().toFfmpeg(), "-i", "pipe:0", "-map", "0:v:0"));
        args.addAll(TranscodeCommand.videoEncoderArgs(rendition, plan, encoderFamily));
        args.addAll(List.of("-an", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"));
        args.addAll(TranscodeCommand.hlsOutput(rendition.name(), plan.segmentSeconds()));
        return args;
    }

    private List<String> audioCommand(final Path source, final LadderPlan plan)
    {
        final List<String> args = new ArrayList<>(List.of(ffmpeg.toString(), "-nostdin", "-hide_banner",
            "-loglevel", "error", "-nostats", "-y", "-i", "file:" + source.toAbsolutePath()));
        args.addAll(TranscodeCommand.audioOutputs(plan));
        return args;
    }

    private static TranscodeException awaitEncoders(final List<ChildProcess> encoders, final ChildProcess audio,
        final long deadlineNanos, final TranscodeException decodeFailure)
    {
        // an encoder's own error explains a broken pipe better than the decoder's
        TranscodeException failure = null;
        for (final ChildProcess encoder : encoders)
        {
            closeQuietly(encoder.stdin());
        }
        final List<ChildProcess> all = new ArrayList<>(encoders);
        if (audio != null)
        {
            all.add(audio);
        }
        for (final ChildProcess process : all)
        {
            try
            {
                process.awaitSuccess(remaining(deadlineNanos));
            }
            catch (final TranscodeException ex)
            {
                if (failure == null)
                {
                    failure = ex;
                }
            }
        }
        if (failure != null && decodeFailure != null)
        {
            failure.addSuppressed(decodeFailure);
        }
        return failure != null ? failure : decodeFailure;
    }

    private static Duration remaining(final long deadlineNanos)
    {
        return Duration.ofNanos(Math.max(1_000_000L, deadlineNanos - System.nanoTime()));
    }

    private static int largest(final List<VideoRendition> video)
    {
        int best = 0;
        for (int i = 1; i < video.size(); i++)
        {
            if ((long)video.get(i).width() * video.get(i).height() >
                (long)video.get(best).width() * video.get(best).height())
            {
                best = i;
            }
        }
        return best;
    }

    private static void createFolders(final LadderPlan plan, final Path outputDir) throws TranscodeException
    {
        try
        {
            for (final VideoRendition rendition : plan.video())
            {
                Files.createDirectories(outputDir.resolve(rendition.name()));
            }
            for (final AudioRendition rendition : plan.audio())
            {
                Files.createDirectories(outputDir.resolve(rendition.name()));
            }
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot create rendition folders under " + outputDir + ": " +
                ex.getMessage(), ex);
        }
    }

    private static void createFolder(final Path folder) throws TranscodeException
    {
        try
        {
            Files.createDirectories(folder);
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot create " + folder + ": " + ex.getMessage(), ex);
        }
    }

    private static void closeQuietly(final OutputStream out)
    {
        try
        {
            out.close();
        }
        catch (final IOException ignore)
        {
            // the encoder is gone; its exit status says why
        }
    }

    /**
     * How much video the decoder should give: the video stream's own length when the container states its frame count
     * (a title whose audio runs on after the picture lasts longer than its video; the CPU path's check counts ffmpeg's
     * output time, which the audio carries on), else the title's duration.
     */
    static double videoSeconds(final SourceInfo source)
    {
        final VideoStreamInfo video = source.video();
        final FrameRate rate = video == null ? null : video.averageFrameRate();
        if (video != null && video.frameCount() > 0 && rate != null && rate.toDouble() > 0)
        {
            return Math.min(source.durationSeconds(), video.frameCount() / rate.toDouble());
        }
        return source.durationSeconds();
    }
}
