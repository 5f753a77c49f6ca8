package io.bifrost.transcoder.protection;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renditions as the ladder writes them (ffmpeg's HLS muxer, CMAF segments, one track per folder), made at test time
 * from a tiny generated clip, and decodes of them with ffmpeg.
 */
final class ProtectedRenditions
{
    static final String PLAYLIST = "index.m3u8";
    static final String INIT = "init.mp4";

    private ProtectedRenditions()
    {
    }

    /**
     * @param dir where to write: {@code video/} (H.264 320x240, 25 fps, 2 s segments) and {@code audio/} (AAC).
     * @return dir.
     */
    static Path write(final Path dir) throws TranscodeException, IOException
    {
        final Path clip = TestMedia.clip(dir.resolve("clip.mp4"), 320, 240, 25, 4, true);
        Files.createDirectories(dir.resolve("video"));
        Files.createDirectories(dir.resolve("audio"));
        final List<String> args = new ArrayList<>(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error",
            "-y", "-i", clip.toString()));
        args.addAll(List.of("-map", "0:v", "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min",
            "50", "-sc_threshold", "0", "-an"));
        args.addAll(hls(dir, "video"));
        args.addAll(List.of("-map", "0:a", "-c:a", "aac", "-b:a", "64k", "-vn"));
        args.addAll(hls(dir, "audio"));
        TestMedia.run(args);
        return dir;
    }

    private static List<String> hls(final Path dir, final String rendition)
    {
        return List.of("-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
            "-hls_fmp4_init_filename", INIT, "-hls_flags", "independent_segments", "-start_number", "0",
            "-hls_segment_filename", dir.resolve(rendition) + "/%d.m4s", dir.resolve(rendition).resolve(PLAYLIST)
            .toString());
    }

    /**
     * @param file  init segment followed by the media segments, as one fragmented MP4.
     * @param parts what to concatenate.
     */
    static Path concat(final Path file, final Path... parts) throws IOException
    {
        Files.deleteIfExists(file);
        Files.createFile(file);
        for (final Path part : parts)
        {
            Files.write(file, Files.readAllBytes(part), java.nio.file.StandardOpenOption.APPEND);
        }
        return file;
    }

    /**
     * @param before input options (e.g. {@code -decryption_key}).
     * @param input  the file or playlist.
     * @return the per-frame MD5s ffmpeg prints (framemd5), or the failure when ffmpeg exits non-zero.
     */
    static String decode(final List<String> before, final String input)
    {
        final List<String> args = new ArrayList<>(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error"));
        args.addAll(before);
        args.addAll(List.of("-i", input, "-map", "0", "-f", "framemd5", "-"));
        try
        {
            final StringBuilder frames = new StringBuilder();
            for (final String line : TestMedia.run(args).split("\n"))
            {
                if (!line.startsWith("#"))
                {
                    frames.append(line).append('\n');
                }
            }
            return frames.toString();
        }
        catch (final TranscodeException ex)
        {
            return "FAILED: " + ex.getMessage();
        }
    }
}
