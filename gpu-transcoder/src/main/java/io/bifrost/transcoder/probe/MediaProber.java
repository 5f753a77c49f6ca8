package io.bifrost.transcoder.probe;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs {@code ffprobe -v error -print_format json -show_format -show_streams} on a file, with bounded output and a
 * timeout, and turns the outcome into a {@link SourceInfo} checked against {@link SourceLimits}. A file ffprobe
 * cannot read is {@link SourceRejectedException.Reason#NOT_MEDIA}; ffprobe missing or hanging is a
 * {@link TranscodeException}. Thread-safe (each call runs its own process).
 */
public final class MediaProber
{
    private final Path ffprobe;
    private final Duration timeout;

    /**
     * @param ffprobe the executable, e.g. {@code /usr/bin/ffprobe}.
     * @param timeout the longest a probe may run (probing reads headers only: seconds, even for large files).
     */
    public MediaProber(final Path ffprobe, final Duration timeout)
    {
        this.ffprobe = ffprobe;
        this.timeout = timeout;
    }

    /**
     * Probe and parse, without validation.
     *
     * @param file the media file.
     * @return what ffprobe found.
     * @throws SourceRejectedException when ffprobe cannot read the file as media.
     * @throws TranscodeException      when ffprobe cannot run, times out, or prints output that cannot be parsed.
     */
    public SourceInfo probe(final Path file) throws SourceRejectedException, TranscodeException
    {
        if (!Files.isRegularFile(file))
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.NOT_MEDIA,
                "source is not a readable file: " + file.getFileName());
        }
        final ByteArrayOutputStream captured = new ByteArrayOutputStream(8192);
        final boolean[] overflow = new boolean[1];
        final List<String> command = List.of(ffprobe.toString(), "-v", "error", "-print_format", "json",
            "-show_format", "-show_streams", "--", file.toAbsolutePath().toString());
        final int exitCode;
        final String stderr;
        try (ChildProcess process = ChildProcess.start(command, null, stdout -> capture(stdout, captured, overflow)))
        {
            exitCode = process.awaitExit(timeout);
            stderr = process.stderr().summary();
        }
        if (exitCode != 0)
        {
            throw new SourceRejectedException(SourceRejectedException.Reason.NOT_MEDIA,
                "ffprobe cannot read the file as media (exit code " + exitCode + "): " + stderr);
        }
        if (overflow[0])
        {
            throw new TranscodeException("ffprobe printed more than " + ProbeOutputParser.MAX_DOCUMENT_BYTES +
                " bytes; refusing to parse it");
        }
        try
        {
            return ProbeOutputParser.parse(captured.toByteArray());
        }
        catch (final ProbeOutputException ex)
        {
            throw new TranscodeException("ffprobe output for " + file.getFileName() + " is unusable: " +
                ex.getMessage(), ex);
        }
    }

    /**
     * Probe, parse and validate.
     *
     * @param file   the media file.
     * @param limits the bounds.
     * @return the accepted source.
     * @throws SourceRejectedException when the file is not acceptable video, with the reason.
     * @throws TranscodeException      when ffprobe cannot run or misbehaves.
     */
    public SourceInfo probeAndValidate(final Path file, final SourceLimits limits)
        throws SourceRejectedException, TranscodeException
    {
        final SourceInfo source = probe(file);
        SourceValidator.validate(source, limits);
        return source;
    }

    private static void capture(final InputStream in, final ByteArrayOutputStream out, final boolean[] overflow)
        throws java.io.IOException
    {
        final byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0)
        {
            if (out.size() + read > ProbeOutputParser.MAX_DOCUMENT_BYTES)
            {
                overflow[0] = true;
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            out.write(buffer, 0, read);
        }
    }
}
