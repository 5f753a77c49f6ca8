package io.bifrost.transcoder.scale;

import java.util.Arrays;
import java.util.List;

/**
 * The work of one ladder-scaling launch, as the flat {@code int} table the CUDA kernel {@code ladder_area} reads
 * (src/main/cuda/ladder_scale.cu) and {@link AreaScaler} interprets the same way: one "plane job" of
 * {@value #JOB_INTS} ints per output component (Y, U, V) of every rung, in rung order.
 * <p>
 * Buffers: a batch of source frames sits at a stride of {@link #sourceFrameBytes()} (tightly packed in the source
 * {@link PixelLayout}); the output of frame {@code f} is {@link #outputFrameBytes()} bytes at
 * {@code f x outputFrameBytes()}, holding every rung's frame one after another (rung {@code r} at
 * {@link #outputOffset(int)}) in the output layout. Output sizes must be even (4:2:0 chroma of exactly half size),
 * sources may be odd. Immutable and thread-safe.
 */
public final class ScaleJobTable
{
    /** Ints per job, as {@code JOB_INTS} in the kernel. */
    public static final int JOB_INTS = 16;
    /** Most jobs one table (one launch) may hold: the kernel's shared-memory copy, {@code MAX_JOBS}. */
    public static final int MAX_JOBS = 64;

    static final int SRC_OFFSET = 0;
    static final int SRC_PITCH = 1;
    static final int SRC_STEP = 2;
    static final int DST_OFFSET = 3;
    static final int DST_PITCH = 4;
    static final int DST_STEP = 5;
    static final int DST_WIDTH = 6;
    static final int DST_HEIGHT = 7;
    static final int X_NUM = 8;
    static final int X_DEN = 9;
    static final int Y_NUM = 10;
    static final int Y_DEN = 11;
    static final int FIRST_THREAD = 12;

    private static final int COMPONENTS = 3;

    private final FrameSize source;
    private final PixelLayout sourceLayout;
    private final List<FrameSize> outputs;
    private final PixelLayout outputLayout;
    private final int[] jobs;
    private final long[] outputOffsets;
    private final int totalThreads;
    private final long outputFrameBytes;

    /**
     * @param source       the decoded frame's size.
     * @param sourceLayout its layout.
     * @param outputs      one size per rung, each side even and at most {@link FrameSize#MAX_SIDE}.
     * @param outputLayout the layout every rung is written in.
     * @throws IllegalArgumentException for an odd output side, no outputs, or more than {@link #MAX_JOBS} jobs.
     */
    public ScaleJobTable(final FrameSize source, final PixelLayout sourceLayout, final List<FrameSize> outputs,
        final PixelLayout outputLayout)
    {
        this(source, sourceLayout, outputs, outputLayout, null, null);
    }

    /**
     * A table that draws each output into a rectangle of one larger image, the canvas (a sprite sheet's tiles, a
     * poster): the jobs' destination offsets point inside the canvas planes and their pitch is the canvas pitch, so
     * the kernel needs no other mode. {@link #outputFrameBytes()} is the canvas's size; bytes outside the
     * placements are never written (the canvas keeps its background there).
     *
     * @param source       the decoded frame's size.
     * @param sourceLayout its layout.
     * @param canvas       the canvas size, even sides.
     * @param canvasLayout the canvas layout.
     * @param placements   where each output goes; inside the canvas, not overlapping.
     * @return the table; {@link #outputs()} are the placements' sizes, {@link #outputOffset(int)} the byte offset of
     *         each placement's first luma sample.
     * @throws IllegalArgumentException for a placement outside the canvas, overlapping another, or odd sizes.
     */
    public static ScaleJobTable onCanvas(final FrameSize source, final PixelLayout sourceLayout,
        final FrameSize canvas, final PixelLayout canvasLayout, final List<Placement> placements)
    {
        if ((canvas.width() & 1) != 0 || (canvas.height() & 1) != 0)
        {
            throw new IllegalArgumentException("canvas sides must be even, got " + canvas);
        }
        for (int i = 0; i < placements.size(); i++)
        {
            final Placement p = placements.get(i);
            if (p.x() + p.size().width() > canvas.width() || p.y() + p.size().height() > canvas.height())
            {
                throw new IllegalArgumentException(p + " does not fit the " + canvas + " canvas");
            }
            for (int k = 0; k < i; k++)
            {
                if (p.overlaps(placements.get(k)))
                {
                    throw new IllegalArgumentException(p + " overlaps " + placements.get(k));
                }
            }
        }
        return new ScaleJobTable(source, sourceLayout, placements.stream().map(Placement::size).toList(),
            canvasLayout, canvas, List.copyOf(placements));
    }

    private ScaleJobTable(final FrameSize source, final PixelLayout sourceLayout, final List<FrameSize> outputs,
        final PixelLayout outputLayout, final FrameSize canvas, final List<Placement> placements)
    {
        if (outputs.isEmpty() || outputs.size() * COMPONENTS > MAX_JOBS)
        {
            throw new IllegalArgumentException("a scale launch needs 1.." + MAX_JOBS / COMPONENTS + " outputs, got " +
                outputs.size());
        }
        this.source = source;
        this.sourceLayout = sourceLayout;
        this.outputs = List.copyOf(outputs);
        this.outputLayout = outputLayout;
        this.jobs = new int[outputs.size() * COMPONENTS * JOB_INTS];
        this.outputOffsets = new long[outputs.size()];

        long threads = 0;
        long offset = 0;
        int job = 0;
        for (int r = 0; r < outputs.size(); r++)
        {
            final FrameSize out = outputs.get(r);
            if ((out.width() & 1) != 0 || (out.height() & 1) != 0)
            {
                throw new IllegalArgumentException("output sizes must be even, got " + out);
            }
            outputOffsets[r] = canvas == null ? offset :
                outputLayout.componentOffset(canvas.width(), canvas.height(), 0) +
                (long)placements.get(r).y() * outputLayout.componentPitch(canvas.width(), 0) + placements.get(r).x();
            for (int c = 0; c < COMPONENTS; c++)
            {
                final int srcW = c == 0 ? source.width() : PixelLayout.chromaWidth(source.width());
                final int srcH = c == 0 ? source.height() : PixelLayout.chromaHeight(source.height());
                final int dstW = c == 0 ? out.width() : out.width() / 2;
                final int dstH = c == 0 ? out.height() : out.height() / 2;
                final int base = job * JOB_INTS;
                jobs[base + SRC_OFFSET] = (int)sourceLayout.componentOffset(source.width(), source.height(), c);
                jobs[base + SRC_PITCH] = sourceLayout.componentPitch(source.width(), c);
                jobs[base + SRC_STEP] = sourceLayout.componentStep(c);
                if (canvas == null)
                {
                    jobs[base + DST_OFFSET] = Math.toIntExact(offset +
                        outputLayout.componentOffset(out.width(), out.height(), c));
                    jobs[base + DST_PITCH] = outputLayout.componentPitch(out.width(), c);
                }
                else
                {
                    final Placement at = placements.get(r);
                    final int pitch = outputLayout.componentPitch(canvas.width(), c);
                    jobs[base + DST_OFFSET] = Math.toIntExact(
                        outputLayout.componentOffset(canvas.width(), canvas.height(), c) +
                        (long)(c == 0 ? at.y() : at.y() / 2) * pitch +
                        (long)(c == 0 ? at.x() : at.x() / 2) * outputLayout.componentStep(c));
                    jobs[base + DST_PITCH] = pitch;
                }
                jobs[base + DST_STEP] = outputLayout.componentStep(c);
                jobs[base + DST_WIDTH] = dstW;
                jobs[base + DST_HEIGHT] = dstH;
                final int gx = gcd(srcW, dstW);
                final int gy = gcd(srcH, dstH);
                jobs[base + X_NUM] = srcW / gx;
                jobs[base + X_DEN] = dstW / gx;
                jobs[base + Y_NUM] = srcH / gy;
                jobs[base + Y_DEN] = dstH / gy;
                jobs[base + FIRST_THREAD] = (int)threads;
                threads += (long)dstW * dstH;
                if (threads > Integer.MAX_VALUE)
                {
                    throw new IllegalArgumentException("too many output pixels for one launch: " + this.outputs);
                }
                job++;
            }
            offset += outputLayout.frameBytes(out.width(), out.height());
        }
        this.totalThreads = (int)threads;
        this.outputFrameBytes = canvas == null ? offset : outputLayout.frameBytes(canvas.width(), canvas.height());
        if (outputFrameBytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("output frame too large for one launch: " + this.outputs);
        }
    }

    /**
     * @return the source frame size.
     */
    public FrameSize source()
    {
        return source;
    }

    /**
     * @return the source layout.
     */
    public PixelLayout sourceLayout()
    {
        return sourceLayout;
    }

    /**
     * @return the rung sizes, in output order.
     */
    public List<FrameSize> outputs()
    {
        return outputs;
    }

    /**
     * @return the output layout.
     */
    public PixelLayout outputLayout()
    {
        return outputLayout;
    }

    /**
     * @return a copy of the table, {@link #jobCount()} x {@value #JOB_INTS} ints.
     */
    public int[] jobs()
    {
        return jobs.clone();
    }

    /**
     * @return jobs in the table (3 per rung).
     */
    public int jobCount()
    {
        return jobs.length / JOB_INTS;
    }

    /**
     * @return output samples per frame, one kernel thread each.
     */
    public int totalThreads()
    {
        return totalThreads;
    }

    /**
     * @return bytes of one source frame.
     */
    public long sourceFrameBytes()
    {
        return sourceLayout.frameBytes(source.width(), source.height());
    }

    /**
     * @return bytes of every rung of one frame together.
     */
    public long outputFrameBytes()
    {
        return outputFrameBytes;
    }

    /**
     * @param rung index into {@link #outputs()}.
     * @return byte offset of that rung's frame within one frame's output.
     */
    public long outputOffset(final int rung)
    {
        return outputOffsets[rung];
    }

    int job(final int index, final int field)
    {
        return jobs[index * JOB_INTS + field];
    }

    private static int gcd(final int a, final int b)
    {
        int x = a;
        int y = b;
        while (y != 0)
        {
            final int t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    @Override
    public String toString()
    {
        return "ScaleJobTable{" + source + " " + sourceLayout + " -> " + outputs + " " + outputLayout + ", jobs=" +
            Arrays.toString(jobs) + "}";
    }
}
