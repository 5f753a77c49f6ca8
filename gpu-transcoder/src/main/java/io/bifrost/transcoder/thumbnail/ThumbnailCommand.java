package io.bifrost.transcoder.thumbnail;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The ffmpeg command for a title's thumbnails: one decode split three ways into a poster JPEG (first frame at or after
 * the poster time, at most 1280x720, never upscaled), one sprite sheet JPEG (a letterboxed tile every interval,
 * laid out by the {@code tile} filter) and a muted low-resolution H.264 preview MP4 (at most 320x180, faststart).
 * <p>
 * The sprite branch follows {@link ThumbnailPlan}'s tiles exactly: {@code fps=1/interval:round=down} emits the last
 * frame of each interval, but drops the last, partial interval at the end of stream (a 7.3 s title at one tile every
 * 2 s gave 3 stills for 4 planned tiles, so the last tile the VTT points at stayed black, and a title shorter than one
 * interval gave no sheet at all). So the branch first repeats the last frame ({@code tpad=stop_mode=clone}, for
 * {@link ThumbnailPlan#spritePadSeconds()}), which makes {@code fps} emit a still for every planned tile (the partial
 * interval's is the last frame, as on the JCuda path), and {@code trim=end_frame=tileCount} ends the branch after
 * exactly the planned stills, so the {@code tile} filter closes the sheet there with the cells past them black (its
 * {@code nb_frames} option would leave those cells unpainted, green in YUV); no cue points at them. The poster branch
 * repeats the last frame too ({@link ThumbnailPlan#posterPadSeconds()}): a video stream that ends before the poster
 * time (the title's duration is the container's, audio may run longer) gives its last frame rather than no poster.
 * <p>
 * It is a second ffmpeg run rather than more outputs of the ladder run: thumbnails then fail, retry and time out on
 * their own without costing a ladder encode, the ladder command stays one concern, and the extra decode is cheap next
 * to encoding the ladder. Output names are relative to the working directory (the thumbnails folder).
 */
public final class ThumbnailCommand
{
    /** Poster file name. */
    public static final String POSTER = "poster.jpg";
    /** Sprite sheet file name. */
    public static final String SPRITE = "sprite.jpg";
    /** WebVTT thumbnail track file name. */
    public static final String SPRITE_VTT = "sprite.vtt";
    /** Preview clip file name. */
    public static final String PREVIEW = "preview.mp4";

    private ThumbnailCommand()
    {
    }

    /**
     * @param ffmpeg the executable.
     * @param source the source file.
     * @param plan   the thumbnail geometry.
     * @return the argument list; run it in the thumbnails folder.
     */
    public static List<String> build(final Path ffmpeg, final Path source, final ThumbnailPlan plan)
    {
        final String graph = String.format(Locale.ROOT,
            "[0:v:0]split=3[p][s][c];" +
            "[p]tpad=stop_mode=clone:stop_duration=%d,select='gte(t,%.3f)'," +
            "scale=w='min(1280,iw)':h='min(720,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2," +
            "setsar=1[poster];" +
            "[s]tpad=stop_mode=clone:stop_duration=%d,fps=1/%d:round=down,trim=end_frame=%d," +
            "scale=w=%d:h=%d:force_original_aspect_ratio=decrease,pad=%d:%d:-1:-1,setsar=1," +
            "tile=%dx%d[sprite];" +
            "[c]trim=start=%.3f:duration=%.3f,setpts=PTS-STARTPTS,scale=w='min(320,iw)':h='min(180,ih)'" +
            ":force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1,format=yuv420p[preview]",
            plan.posterPadSeconds(), plan.posterAtSeconds(),
            plan.spritePadSeconds(), plan.spriteIntervalSeconds(), plan.tileCount(),
            plan.tileWidth(), plan.tileHeight(), plan.tileWidth(), plan.tileHeight(),
            plan.columns(), plan.rows(),
            plan.previewStartSeconds(), plan.previewSeconds());
        return List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-y",
            "-i", "file:" + source.toAbsolutePath(),
            "-filter_complex", graph,
            "-map", "[poster]", "-frames:v", "1", "-q:v", "3", "-f", "image2", "-update", "1", POSTER,
            "-map", "[sprite]", "-frames:v", "1", "-q:v", "5", "-f", "image2", "-update", "1", SPRITE,
            "-map", "[preview]", "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "28",
            "-movflags", "+faststart", PREVIEW);
    }

    /**
     * Only the preview clip (the JCuda path makes poster and sprite from its own frames, {@link FrameStills}): the
     * same filter and encoder as {@link #build}, with the input seeked to the clip start so only the clip is
     * decoded.
     *
     * @param ffmpeg the executable.
     * @param source the source file.
     * @param plan   the thumbnail geometry.
     * @return the argument list; run it in the thumbnails folder.
     */
    public static List<String> preview(final Path ffmpeg, final Path source, final ThumbnailPlan plan)
    {
        final String filter = "scale=w='min(320,iw)':h='min(180,ih)':force_original_aspect_ratio=decrease" +
            ":force_divisible_by=2,setsar=1,format=yuv420p";
        return List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-nostats", "-y",
            "-ss", String.format(Locale.ROOT, "%.3f", plan.previewStartSeconds()),
            "-t", String.format(Locale.ROOT, "%.3f", plan.previewSeconds()),
            "-i", "file:" + source.toAbsolutePath(), "-map", "0:v:0", "-vf", filter,
            "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-movflags", "+faststart", PREVIEW);
    }
}
