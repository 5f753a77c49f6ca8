package io.bifrost.transcoder.thumbnail;

import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.scale.FrameSize;
import io.bifrost.transcoder.scale.PixelLayout;
import io.bifrost.transcoder.scale.Placement;
import io.bifrost.transcoder.scale.ScaleJobTable;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The poster and the sprite sheet made from the raw frames the ladder is scaled from (the JCuda path), instead of by a
 * second ffmpeg decode: each sprite tile and the poster is a {@link ScaleJobTable#onCanvas} piece drawn by the
 * {@link io.bifrost.transcoder.scale.LadderScaler} from one decoded frame, and only the finished canvases are handed
 * to ffmpeg to become JPEGs. Same geometry as {@link ThumbnailCommand}'s CPU path, so the same {@code sprite.vtt}
 * serves both: poster = ffmpeg's {@code scale=min(1280,iw):min(720,ih):force_original_aspect_ratio=decrease:
 * force_divisible_by=2} size; tiles = {@code scale=TWxTH:force_original_aspect_ratio=decrease} (rounded down to even
 * sides, so a few pixels of the letterbox may differ) centred on black; the sheet {@code columns x tileW} by
 * {@code rows x tileH} with unused cells black, as the {@code tile} filter leaves them.
 * <p>
 * Frames are the decoder's constant-rate frames {@code i} at {@code i / rate} seconds, picked by the same
 * {@link ThumbnailPlan} the CPU path follows: tile {@code k} is {@link ThumbnailPlan#tileFrame} (the last frame before
 * {@code (k + 1) x interval}, what {@code fps=1/interval:round=down} emits), the poster
 * {@link ThumbnailPlan#posterFrame} (the first at or after the poster time, {@code select=gte(t,T)}). A frame past the
 * end of the source is replaced by the last one (the pump draws the remaining stills from it at the end of stream):
 * the last tile of a title whose duration is not a multiple of the interval shows the last frame, as the CPU path's
 * does (it repeats the last frame for its {@code fps} filter). Pixels are area-averaged where the CPU path uses
 * bicubic. Immutable and thread-safe.
 */
public final class FrameStills
{
    /** Poster size limits (as the CPU path's). */
    public static final int POSTER_MAX_WIDTH = 1280;
    /** Poster height limit. */
    public static final int POSTER_MAX_HEIGHT = 720;
    /** Canvas id order used by {@link #draws}: the sprite sheet is canvas {@value}. */
    public static final int SPRITE = 0;
    /** The poster is canvas {@value}. */
    public static final int POSTER = 1;

    private static final byte BLACK_LUMA = 16;
    private static final byte BLACK_CHROMA = (byte)128;

    private final ThumbnailPlan plan;
    private final FrameSize source;
    private final FrameSize sprite;
    private final FrameSize poster;
    private final List<ScaleJobTable> tiles;
    private final ScaleJobTable posterPiece;
    /** Draws sorted by frame: {frame, canvas, piece} per entry. */
    private final long[][] draws;

    private FrameStills(final ThumbnailPlan plan, final FrameSize source, final FrameRate rate)
    {
        this.plan = plan;
        this.source = source;
        this.sprite = new FrameSize(plan.columns() * plan.tileWidth(), plan.rows() * plan.tileHeight());
        this.poster = posterSize(source);
        final FrameSize content = tileContent(source, plan.tileWidth(), plan.tileHeight());
        final int padX = ((plan.tileWidth() - content.width()) / 2) & ~1;
        final int padY = ((plan.tileHeight() - content.height()) / 2) & ~1;
        final List<ScaleJobTable> pieces = new ArrayList<>(plan.tileCount());
        final List<long[]> list = new ArrayList<>(plan.tileCount() + 1);
        for (int k = 0; k < plan.tileCount(); k++)
        {
            final Placement at = new Placement(plan.tileX(k) + padX, plan.tileY(k) + padY, content);
            pieces.add(ScaleJobTable.onCanvas(source, PixelLayout.I420, sprite, PixelLayout.I420, List.of(at)));
            list.add(new long[] {plan.tileFrame(k, rate), SPRITE, k});
        }
        this.tiles = List.copyOf(pieces);
        this.posterPiece = ScaleJobTable.onCanvas(source, PixelLayout.I420, poster, PixelLayout.I420,
            List.of(new Placement(0, 0, poster)));
        list.add(new long[] {plan.posterFrame(rate), POSTER, 0});
        list.sort((a, b) -> Long.compare(a[0], b[0]));
        this.draws = list.toArray(long[][]::new);
    }

    /**
     * @param plan    the thumbnail geometry (as for the CPU path).
     * @param decoded the raw frames' size (rotation applied).
     * @param rate    the raw frames' constant rate.
     * @return the stills.
     */
    public static FrameStills of(final ThumbnailPlan plan, final FrameSize decoded, final FrameRate rate)
    {
        return new FrameStills(plan, decoded, rate);
    }

    /**
     * @param source the frame size.
     * @return ffmpeg's poster size: at most 1280x720, aspect kept, never upscaled, even sides.
     */
    public static FrameSize posterSize(final FrameSize source)
    {
        return fit(source, Math.min(POSTER_MAX_WIDTH, source.width()), Math.min(POSTER_MAX_HEIGHT, source.height()),
            2);
    }

    /**
     * @param source     the frame size.
     * @param tileWidth  the tile width.
     * @param tileHeight the tile height.
     * @return the letterboxed picture inside a tile, even sides.
     */
    public static FrameSize tileContent(final FrameSize source, final int tileWidth, final int tileHeight)
    {
        return fit(source, tileWidth, tileHeight, 2);
    }

    /** ffmpeg's {@code force_original_aspect_ratio=decrease} (av_rescale rounds to nearest), then round down. */
    private static FrameSize fit(final FrameSize source, final int w, final int h, final int divisibleBy)
    {
        final long tmpW = ((long)h * source.width() * 2 + source.height()) / (2L * source.height());
        final long tmpH = ((long)w * source.height() * 2 + source.width()) / (2L * source.width());
        final int fw = (int)Math.min(tmpW, w) / divisibleBy * divisibleBy;
        final int fh = (int)Math.min(tmpH, h) / divisibleBy * divisibleBy;
        return new FrameSize(Math.max(2, fw), Math.max(2, fh));
    }

    /**
     * @return the sprite sheet's size.
     */
    public FrameSize spriteSize()
    {
        return sprite;
    }

    /**
     * @return the poster's size.
     */
    public FrameSize posterSize()
    {
        return poster;
    }

    /**
     * @return the geometry.
     */
    public ThumbnailPlan plan()
    {
        return plan;
    }

    /**
     * @return one canvas piece per tile, in tile order (canvas {@link #SPRITE}).
     */
    public List<ScaleJobTable> tilePieces()
    {
        return tiles;
    }

    /**
     * @return the poster's one piece (canvas {@link #POSTER}).
     */
    public List<ScaleJobTable> posterPieces()
    {
        return List.of(posterPiece);
    }

    /**
     * @return a black I420 sprite sheet.
     */
    public byte[] spriteBackground()
    {
        return black(sprite);
    }

    /**
     * @return a black I420 poster (every byte is drawn over).
     */
    public byte[] posterBackground()
    {
        return black(poster);
    }

    /**
     * @return how many draws there are (one per tile, one for the poster).
     */
    public int drawCount()
    {
        return draws.length;
    }

    /**
     * @param index 0..{@link #drawCount()}, sorted by frame.
     * @return {@code {frame index, canvas (SPRITE or POSTER), piece}}; a copy.
     */
    public long[] draw(final int index)
    {
        return draws[index].clone();
    }

    /**
     * Encode the finished canvases as {@code poster.jpg} and {@code sprite.jpg} (same quality settings as the CPU
     * path) and write {@code sprite.vtt}.
     *
     * @param ffmpeg       the executable.
     * @param spriteCanvas the sprite sheet, I420.
     * @param posterCanvas the poster, I420.
     * @param folder       the thumbnails folder (existing).
     * @param timeout      per JPEG.
     * @throws TranscodeException when ffmpeg fails or a file cannot be written.
     */
    public void writeJpegs(final Path ffmpeg, final byte[] spriteCanvas, final byte[] posterCanvas, final Path folder,
        final Duration timeout) throws TranscodeException
    {
        jpeg(ffmpeg, posterCanvas, poster, "3", ThumbnailCommand.POSTER, folder, timeout);
        jpeg(ffmpeg, spriteCanvas, sprite, "5", ThumbnailCommand.SPRITE, folder, timeout);
        ThumbnailGenerator.writeVtt(plan, folder);
    }

    private static void jpeg(final Path ffmpeg, final byte[] raw, final FrameSize size, final String quality,
        final String name, final Path folder, final Duration timeout) throws TranscodeException
    {
        final List<String> command = List.of(ffmpeg.toString(), "-hide_banner", "-loglevel", "error", "-nostats",
            "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", size.toString(), "-i", "pipe:0",
            "-frames:v", "1", "-q:v", quality, "-f", "image2", "-update", "1", name);
        try (ChildProcess process = ChildProcess.startWithStdin(command, folder,
            stdout -> stdout.transferTo(OutputStream.nullOutputStream())))
        {
            try (OutputStream in = process.stdin())
            {
                in.write(raw);
            }
            catch (final IOException ex)
            {
                // ffmpeg died early: its exit status below says why
            }
            process.awaitSuccess(timeout);
        }
    }

    private static byte[] black(final FrameSize size)
    {
        final int luma = size.width() * size.height();
        final byte[] out = new byte[(int)PixelLayout.I420.frameBytes(size.width(), size.height())];
        Arrays.fill(out, 0, luma, BLACK_LUMA);
        Arrays.fill(out, luma, out.length, BLACK_CHROMA);
        return out;
    }

    @Override
    public String toString()
    {
        return "FrameStills{" + source + " -> poster " + poster + ", sprite " + sprite + " (" + tiles.size() +
            " tiles)}";
    }
}
