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
            outputOffsets[r] = offset;
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
                jobs[base + DST_OFFSET] = Math.toIntExact(offset +
                    outputLayout.componentOffset(out.width(), out.height(), c));
                jobs[base + DST_PITCH] = outputLayout.componentPitch(out.width(), c);
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
        this.outputFrameBytes = offset;
        if (offset > Integer.MAX_VALUE)
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
