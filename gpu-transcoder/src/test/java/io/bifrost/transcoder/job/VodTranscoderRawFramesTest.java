package io.bifrost.transcoder.job;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.encode.LadderEncoder;
import io.bifrost.transcoder.encode.RawFrameLadderEncoder;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.scale.AreaLadderScaler;
import io.bifrost.transcoder.thumbnail.ThumbnailCommand;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A title through the JCuda backend's encoder (the kernel's CPU reference standing in for the GPU): poster and sprite
 * come from the ladder's frames, only the preview clip from a second (seeked, short) ffmpeg run.
 */
class VodTranscoderRawFramesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryThumbnailWhenTheEncoderDrawsPosterAndSpriteFromItsOwnFrames() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("source.mp4"), 320, 180, 25, 3, true);
        final VodTranscoder transcoder = new VodTranscoder(TestMedia.FFMPEG, TestMedia.FFPROBE,
            SourceLimits.DEFAULTS, new RawFrameLadderEncoder(TestMedia.FFMPEG, LadderEncoder.DEFAULT_MIN_TIMEOUT,
            LadderEncoder.DEFAULT_TIMEOUT_FACTOR, table -> new AreaLadderScaler(table, 4, 2)));

        final VodTranscoder.Outcome outcome = transcoder.transcode("raw-1", source, dir.resolve("vod"),
            LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast"), ThumbnailOptions.DEFAULTS,
            p -> { });

        assertThat(outcome).isEqualTo(VodTranscoder.Outcome.PUBLISHED);
        final Path thumbnails = dir.resolve("vod").resolve("raw-1").resolve(VodTranscoder.THUMBNAILS);
        assertThat(thumbnails.resolve(ThumbnailCommand.POSTER)).isNotEmptyFile();
        assertThat(thumbnails.resolve(ThumbnailCommand.SPRITE)).isNotEmptyFile();
        assertThat(Files.readString(thumbnails.resolve(ThumbnailCommand.SPRITE_VTT)))
            .isEqualTo("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nsprite.jpg#xywh=0,0,160,90\n\n" +
                "00:00:02.000 --> 00:00:03.000\nsprite.jpg#xywh=160,0,160,90\n");
        assertThat(TestMedia.ffprobe("-v", "error", "-show_entries", "stream=codec_name,width,height", "-of",
            "csv=p=0", thumbnails.resolve(ThumbnailCommand.PREVIEW).toString()).strip()).isEqualTo("h264,320,180");
        assertThat(Double.parseDouble(TestMedia.ffprobe("-v", "error", "-show_entries", "format=duration", "-of",
            "csv=p=0", thumbnails.resolve(ThumbnailCommand.PREVIEW).toString()).strip())).isBetween(2.5, 3.1);
    }

    @Test
    void shouldPublishATitleWhosePictureEndsBeforeItsAudioOnEveryBackend() throws Exception
    {
        // 2 s of video, 6 s of audio: the title lasts 6 s; the raw-frame encoder used to count its 50 frames against
        // the 6 s and fail the job as "truncated or corrupt", where the CPU path (ffmpeg's output time) published it
        final Path source = TestMedia.videoEndingBeforeAudio(dir.resolve("short-video.mp4"), 2, 6);
        final LadderOptions options = LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast");
        final VodTranscoder raw = new VodTranscoder(TestMedia.FFMPEG, TestMedia.FFPROBE, SourceLimits.DEFAULTS,
            new RawFrameLadderEncoder(TestMedia.FFMPEG, LadderEncoder.DEFAULT_MIN_TIMEOUT,
            LadderEncoder.DEFAULT_TIMEOUT_FACTOR, table -> new AreaLadderScaler(table, 4, 2)));
        final VodTranscoder cpu = new VodTranscoder(TestMedia.FFMPEG, TestMedia.FFPROBE, SourceLimits.DEFAULTS,
            new LadderEncoder(TestMedia.FFMPEG, LadderEncoder.DEFAULT_MIN_TIMEOUT, LadderEncoder.DEFAULT_TIMEOUT_FACTOR));

        assertThat(raw.transcode("raw-short", source, dir.resolve("vod"), options, ThumbnailOptions.DEFAULTS, p -> { }))
            .isEqualTo(VodTranscoder.Outcome.PUBLISHED);
        assertThat(cpu.transcode("cpu-short", source, dir.resolve("vod"), options, ThumbnailOptions.DEFAULTS, p -> { }))
            .isEqualTo(VodTranscoder.Outcome.PUBLISHED);
    }
}
