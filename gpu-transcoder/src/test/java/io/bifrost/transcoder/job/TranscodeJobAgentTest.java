package io.bifrost.transcoder.job;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.ladder.VideoCodec;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.probe.SourceRejectedException;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The job log and the worker agent: jobs appended to a Chronicle Queue are transcoded in order, and a restarted
 * worker replaying the log skips what is done, redoes what a crash cut short, and does not retry refused uploads.
 */
class TranscodeJobAgentTest
{
    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final JobListener recorder = new JobListener()
    {
        @Override
        public void onPublished(final TranscodeJob job, final Path title)
        {
            events.add("published " + job.videoId());
        }

        @Override
        public void onSkipped(final TranscodeJob job)
        {
            events.add("skipped " + job.videoId());
        }

        @Override
        public void onRejected(final TranscodeJob job, final SourceRejectedException reason)
        {
            events.add("rejected " + job.videoId() + " " + reason.reason().code());
        }

        @Override
        public void onFailed(final TranscodeJob job, final TranscodeException error)
        {
            events.add("failed " + job.videoId());
        }
    };

    private static int drain(final TranscodeJobAgent agent)
    {
        int jobs = 0;
        for (int i = 0; i < 100 && agent.doWork() > 0; i++)
        {
            jobs++;
        }
        return jobs;
    }

    private TranscodeJobAgent agent(final TranscodeJobLog log)
    {
        return new TranscodeJobAgent(log, new VodTranscoder(TestMedia.FFMPEG, TestMedia.FFPROBE,
            SourceLimits.DEFAULTS), ThumbnailOptions.DEFAULTS, recorder);
    }

    @Test
    void shouldTranscodeLoggedJobsAndReplayThemIdempotentlyAfterARestart() throws Exception
    {
        final Path clip = TestMedia.clip(dir.resolve("clip.mp4"), 320, 180, 25, 2, true);
        final Path text = Files.writeString(dir.resolve("notes.mov"), "not a video");
        final Path vod = dir.resolve("vod");
        final Path queue = dir.resolve("jobs");

        try (TranscodeJobLog log = new TranscodeJobLog(queue))
        {
            log.append(new TranscodeJob("first", clip, vod, 2, "ultrafast", Set.of()));
            log.append(new TranscodeJob("notes", text, vod, 4, "veryfast", Set.of()));
            final TranscodeJobAgent agent = agent(log);

            assertThat(drain(agent)).isEqualTo(2);
            assertThat(agent.doWork()).isZero();
        }
        assertThat(events).containsExactly("published first", "rejected notes source.not_media");
        assertThat(vod.resolve("first/master.m3u8")).isRegularFile();
        assertThat(Files.readString(vod.resolve("notes" + TranscodeJobAgent.FAILED_SUFFIX)))
            .startsWith("source.not_media: ffprobe cannot read the file as media");

        // a crash left a half-written third title; the worker restarts and replays the whole log
        events.clear();
        Files.createDirectories(vod.resolve("second" + VodTranscoder.PARTIAL_SUFFIX).resolve("240p"));
        try (TranscodeJobLog log = new TranscodeJobLog(queue))
        {
            log.append(new TranscodeJob("second", clip, vod, 2, "ultrafast", Set.of()));
            assertThat(drain(agent(log))).isEqualTo(3);
        }
        assertThat(events).containsExactly("skipped first", "skipped notes", "published second");
        assertThat(vod.resolve("second/240p/index.m3u8")).isRegularFile();
        assertThat(vod.resolve("second" + VodTranscoder.PARTIAL_SUFFIX)).doesNotExist();
    }

    @Test
    void shouldCarryLadderOptionsThroughTheLog()
    {
        final TranscodeJob job = new TranscodeJob("v1", dir.resolve("a.mp4"), dir.resolve("vod"), 6, "fast",
            Set.of(VideoCodec.VP9, VideoCodec.AV1));
        final List<TranscodeJob> read = new CopyOnWriteArrayList<>();
        try (TranscodeJobLog log = new TranscodeJobLog(dir.resolve("jobs")))
        {
            log.append(job);
            final TranscodeJobLog.Reader reader = log.readFromStart();
            assertThat(reader.next(new TranscodeJobLog.Sink()
            {
                @Override
                public void onJob(final long index, final TranscodeJob received)
                {
                    read.add(received);
                }

                @Override
                public void onMalformed(final long index, final String reason)
                {
                    events.add(reason);
                }
            })).isTrue();
        }
        assertThat(read).containsExactly(job);
        assertThat(read.get(0).ladderOptions().segmentSeconds()).isEqualTo(6);
        assertThat(read.get(0).ladderOptions().extraCodecs()).containsExactlyInAnyOrder(VideoCodec.VP9,
            VideoCodec.AV1);
        assertThat(events).isEmpty();
    }

    @Test
    void shouldRefuseJobsWithUnsafeIdsOrRelativePaths()
    {
        assertThatThrownBy(() -> new TranscodeJob("../etc", dir.resolve("a.mp4"), dir, 4, "veryfast", Set.of()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TranscodeJob("ok", Path.of("a.mp4"), dir, 4, "veryfast", Set.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> new TranscodeJob("ok", dir.resolve("a.mp4"), dir, 9, "veryfast", Set.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment-seconds");
    }
}
