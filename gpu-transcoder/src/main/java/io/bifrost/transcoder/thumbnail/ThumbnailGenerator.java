package io.bifrost.transcoder.thumbnail;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes a title's poster, sprite sheet, WebVTT thumbnail track and preview clip into one folder with one ffmpeg run
 * ({@link ThumbnailCommand}). Thread-safe (each call runs its own process).
 */
public final class ThumbnailGenerator
{
    private final Path ffmpeg;
    private final Duration minTimeout;
    private final double timeoutFactor;

    /**
     * @param ffmpeg        the executable.
     * @param minTimeout    the fixed part of the deadline.
     * @param timeoutFactor seconds allowed per second of source.
     */
    public ThumbnailGenerator(final Path ffmpeg, final Duration minTimeout, final double timeoutFactor)
    {
        this.ffmpeg = ffmpeg;
        this.minTimeout = minTimeout;
        this.timeoutFactor = timeoutFactor;
    }

    /**
     * @param source          the source file.
     * @param durationSeconds its duration.
     * @param options         what to make.
     * @param folder          the output folder (created when missing).
     * @return the geometry used (for the VTT and the catalog).
     * @throws TranscodeException when ffmpeg fails or an output is missing.
     */
    public ThumbnailPlan generate(final Path source, final double durationSeconds, final ThumbnailOptions options,
        final Path folder) throws TranscodeException
    {
        final ThumbnailPlan plan = ThumbnailPlan.of(durationSeconds, options);
        try
        {
            Files.createDirectories(folder);
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot create thumbnail folder " + folder + ": " + ex.getMessage(), ex);
        }
        try (ChildProcess process = ChildProcess.start(ThumbnailCommand.build(ffmpeg, source, plan), folder,
            ThumbnailGenerator::discard))
        {
            process.awaitSuccess(minTimeout.plusMillis((long)Math.ceil(durationSeconds * timeoutFactor * 1000.0)));
        }
        for (final String name : new String[]{ ThumbnailCommand.POSTER, ThumbnailCommand.SPRITE,
            ThumbnailCommand.PREVIEW })
        {
            if (!Files.isRegularFile(folder.resolve(name)))
            {
                throw new TranscodeException("ffmpeg exited cleanly but did not write thumbnail " + name);
            }
        }
        writeVtt(plan, folder);
        return plan;
    }

    /**
     * Only the preview clip, for a title whose poster and sprite came from the ladder's own frames
     * ({@link FrameStills}, the JCuda path).
     *
     * @param source the source file.
     * @param plan   the thumbnail geometry.
     * @param folder the output folder (created when missing).
     * @throws TranscodeException when ffmpeg fails or the clip is missing.
     */
    public void generatePreview(final Path source, final ThumbnailPlan plan, final Path folder)
        throws TranscodeException
    {
        try
        {
            Files.createDirectories(folder);
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot create thumbnail folder " + folder + ": " + ex.getMessage(), ex);
        }
        try (ChildProcess process = ChildProcess.start(ThumbnailCommand.preview(ffmpeg, source, plan), folder,
            ThumbnailGenerator::discard))
        {
            process.awaitSuccess(minTimeout.plusMillis((long)Math.ceil(plan.previewSeconds() * timeoutFactor *
                1000.0)));
        }
        if (!Files.isRegularFile(folder.resolve(ThumbnailCommand.PREVIEW)))
        {
            throw new TranscodeException("ffmpeg exited cleanly but did not write thumbnail " +
                ThumbnailCommand.PREVIEW);
        }
    }

    static void writeVtt(final ThumbnailPlan plan, final Path folder) throws TranscodeException
    {
        try
        {
            Files.writeString(folder.resolve(ThumbnailCommand.SPRITE_VTT),
                SpriteVttWriter.write(plan, ThumbnailCommand.SPRITE), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new TranscodeException("cannot write " + ThumbnailCommand.SPRITE_VTT + ": " + ex.getMessage(), ex);
        }
    }

    private static void discard(final InputStream stdout) throws IOException
    {
        stdout.transferTo(OutputStream.nullOutputStream());
    }
}
