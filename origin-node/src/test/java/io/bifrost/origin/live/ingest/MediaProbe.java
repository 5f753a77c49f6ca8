package io.bifrost.origin.live.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.origin.TestClips;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real ffprobe/ffmpeg on a rendition's bytes: decode everything, count frames, list keyframe times.
 */
public final class MediaProbe
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private MediaProbe()
    {
    }

    /**
     * @param file a media file.
     * @return the first stream as ffprobe reports it after decoding every frame ({@code nb_read_frames}).
     */
    public static JsonNode stream(final Path file) throws Exception
    {
        final TestClips.Result result = TestClips.tryRun(List.of(TestClips.FFPROBE.toString(), "-v", "error",
            "-count_frames", "-show_streams", "-of", "json", file.toString()));
        if (0 != result.exitCode())
        {
            throw new AssertionError("ffprobe failed on " + file + ": " + result.output());
        }
        final JsonNode streams = JSON.readTree(result.output()).path("streams");
        if (1 != streams.size())
        {
            throw new AssertionError("expected one stream in " + file + ": " + result.output());
        }
        return streams.get(0);
    }

    /**
     * @param file a media file.
     * @return the presentation times of its video keyframes, in seconds.
     */
    public static List<Double> keyframeTimes(final Path file) throws Exception
    {
        final TestClips.Result result = TestClips.tryRun(List.of(TestClips.FFPROBE.toString(), "-v", "error",
            "-select_streams", "v:0", "-skip_frame", "nokey", "-show_entries", "frame=pts_time", "-of", "json",
            file.toString()));
        if (0 != result.exitCode())
        {
            throw new AssertionError("ffprobe failed on " + file + ": " + result.output());
        }
        final List<Double> times = new ArrayList<>();
        for (final JsonNode frame : JSON.readTree(result.output()).path("frames"))
        {
            times.add(frame.path("pts_time").asDouble());
        }
        return times;
    }

    /**
     * @param file a media file.
     * @return what ffmpeg's decoder complained about while decoding all of it (empty when clean).
     */
    public static String decodeErrors(final Path file)
    {
        final TestClips.Result result = TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v",
            "error", "-i", file.toString(), "-f", "null", "-"));
        return 0 == result.exitCode() ? result.output().strip() : "exit " + result.exitCode() + ": " + result.output();
    }
}
