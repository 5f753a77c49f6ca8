package io.bifrost.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real ffprobe on a recording: how many frames of a stream it decodes.
 */
final class Ffprobe
{
    private Ffprobe()
    {
    }

    /**
     * @param file        the media file.
     * @param streamType  {@code v} or {@code a}.
     * @return the frames ffprobe decoded in the first stream of that type, -1 when ffprobe fails to read the file.
     */
    static int frames(final Path file, final String streamType) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(List.of("/usr/bin/ffprobe", "-v", "error", "-count_frames",
            "-select_streams", streamType + ":0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0",
            file.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD) // decoder complaints about a cut last frame are not the count
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(30, TimeUnit.SECONDS) || 0 != process.exitValue() || !output.matches("\\d+"))
        {
            return -1;
        }
        return Integer.parseInt(output);
    }
}
