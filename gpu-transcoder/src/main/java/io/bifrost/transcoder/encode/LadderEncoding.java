package io.bifrost.transcoder.encode;

import io.bifrost.transcoder.ffmpeg.ProgressListener;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.LadderPlan;

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
}
