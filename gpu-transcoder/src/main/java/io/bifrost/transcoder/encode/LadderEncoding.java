package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ffmpeg.ProgressListener;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.thumbnail.ThumbnailPlan;

import java.nio.file.Path;

/**
 * Encodes a whole ladder into {@code outputDir/{rendition}/} (HLS fMP4, the layout of {@link TranscodeCommand}):
 * {@link LadderEncoder} scales inside one ffmpeg (the CPU backend), {@link RawFrameLadderEncoder} scales outside
 * ffmpeg with a {@link io.bifrost.transcoder.scale.LadderScaler} (the JCuda backend). Implementations are thread-safe.
 */
public interface LadderEncoding
{
    /**
     * @param source    the source file.
     * @param plan      the ladder.
     * @param outputDir an existing, empty directory.
     * @param listener  progress reports.
     * @throws TranscodeException when encoding fails or times out, or a rendition is missing its playlist.
     */
    void encode(Path source, LadderPlan plan, Path outputDir, ProgressListener listener) throws TranscodeException;

    /**
     * Encode, and where this encoder holds the decoded frames itself, make the poster and sprite sheet from them
     * (no second decode). The default only encodes: the caller then makes every thumbnail with its own ffmpeg run.
     *
     * @param source          the source file.
     * @param plan            the ladder.
     * @param outputDir       an existing, empty directory.
     * @param listener        progress reports.
     * @param thumbnails      the thumbnail geometry.
     * @param thumbnailFolder where {@code poster.jpg}, {@code sprite.jpg} and {@code sprite.vtt} go.
     * @return true when those three files were written (the caller makes only the preview clip), false when not.
     * @throws TranscodeException as {@link #encode}, or when the stills cannot be written.
     */
    default boolean encodeWithStills(final Path source, final LadderPlan plan, final Path outputDir,
        final ProgressListener listener, final ThumbnailPlan thumbnails, final Path thumbnailFolder)
        throws TranscodeException
    {
        encode(source, plan, outputDir, listener);
        return false;
    }
}
