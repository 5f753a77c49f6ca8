package io.bifrost.transcoder.job;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.probe.SourceRejectedException;
import io.bifrost.transcoder.thumbnail.ThumbnailCommand;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker asks for a title's own poster time when the job starts, not when it was logged, so a creator's
 * {@code thumbnail_timestamp} set while the job waits still picks the poster frame; titles without one keep the
 * default.
 */
class TranscodeJobAgentPosterTimeTest
{
    private static final Pattern SSIM = Pattern.compile("All:([0-9.]+)");

    @TempDir
    Path dir;

    @Test
    void shouldTakeThePosterAtTheTimeLookedUpWhenTheJobStarts() throws Exception
    {
        final Path clip = TestMedia.clip(dir.resolve("clip.mp4"), 320, 180, 25, 4, false);
        final Path vod = dir.resolve("vod");
        final Map<String, Double> posterTimes = new ConcurrentHashMap<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        final List<String> outcomes = new CopyOnWriteArrayList<>();

        try (TranscodeJobLog log = new TranscodeJobLog(dir.resolve("jobs")))
        {
            log.append(new TranscodeJob("at-three", clip, vod, 2, "ultrafast", Set.of()));
            log.append(new TranscodeJob("default", clip, vod, 2, "ultrafast", Set.of()));
            final TranscodeJobAgent agent = new TranscodeJobAgent(log, new VodTranscoder(TestMedia.FFMPEG,
                TestMedia.FFPROBE, SourceLimits.DEFAULTS), ThumbnailOptions.DEFAULTS, recorder(outcomes), videoId ->
                {
                    asked.add(videoId);
                    return posterTimes.getOrDefault(videoId, -1.0);
                });
            posterTimes.put("at-three", 3.0); // set after the job was logged, before it runs

            assertThat(agent.doWork()).isOne();
            assertThat(agent.doWork()).isOne();
            assertThat(agent.doWork()).isZero();
        }

        assertThat(outcomes).containsExactly("published at-three", "published default");
        assertThat(asked).containsExactly("at-three", "default");
        final Path atThree = poster(vod, "at-three");
        final Path byDefault = poster(vod, "default");
        assertThat(ssim(atThree, clip, 3.0)).as("the 3 s poster is the 3 s frame, not the default one")
            .isGreaterThan(0.9).isGreaterThan(ssim(atThree, clip, 0.4) + 0.02);
        assertThat(ssim(byDefault, clip, 3.0)).as("the default poster is not the 3 s frame")
            .isLessThan(ssim(atThree, clip, 3.0) - 0.02);
    }

    private static Path poster(final Path vod, final String videoId)
    {
        final Path poster = vod.resolve(videoId).resolve(VodTranscoder.THUMBNAILS).resolve(ThumbnailCommand.POSTER);
        assertThat(poster).isRegularFile();
        return poster;
    }

    private static JobListener recorder(final List<String> outcomes)
    {
        return new JobListener()
        {
            @Override
            public void onPublished(final TranscodeJob job, final Path title)
            {
                outcomes.add("published " + job.videoId());
            }

            @Override
            public void onSkipped(final TranscodeJob job)
            {
                outcomes.add("skipped " + job.videoId());
            }

            @Override
            public void onRejected(final TranscodeJob job, final SourceRejectedException reason)
            {
                outcomes.add("rejected " + job.videoId());
            }

            @Override
            public void onFailed(final TranscodeJob job, final TranscodeException error)
            {
                outcomes.add("failed " + job.videoId() + ": " + error.getMessage());
            }
        };
    }

    /** SSIM between a poster and the source frame at {@code seconds}, scaled to the poster's size. */
    private static double ssim(final Path poster, final Path source, final double seconds)
        throws IOException, InterruptedException
    {
        final Process ffmpeg = new ProcessBuilder(TestMedia.FFMPEG.toString(), "-v", "info", "-nostats",
            "-i", poster.toString(), "-ss", Double.toString(seconds), "-i", source.toString(),
            "-filter_complex", "[1:v][0:v]scale2ref[ref][poster];[poster][ref]ssim", "-frames:v", "1", "-f", "null", "-")
            .redirectErrorStream(true).start();
        final String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final Matcher matcher = SSIM.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
