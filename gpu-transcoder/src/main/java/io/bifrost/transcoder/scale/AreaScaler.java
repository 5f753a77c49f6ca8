package io.bifrost.transcoder.scale;

/**
 * The bit-exact Java reference of the CUDA kernel {@code ladder_area} (src/main/cuda/ladder_scale.cu): area-averaging
 * downscale of every component of every rung of a {@link ScaleJobTable}, in exact integer arithmetic with the same
 * rounding (half up), so the GPU output can be compared byte for byte and the CPU can stand in for the GPU in tests.
 * <p>
 * Per component with {@code g = gcd(src, dst)}, {@code M = src / g}, {@code N = dst / g}: output sample {@code x}
 * covers {@code [x M, (x + 1) M)} in units where one source sample is {@code N} wide; a source sample overlapping it
 * by {@code w} units weighs {@code w}. The weights of one output sample sum to {@code Mx x My}, so the result is
 * {@code (sum + Mx My / 2) / (Mx My)}: a constant image stays exactly constant and nothing is lost to intermediate
 * rounding. Stateless and thread-safe; it is slow (one source read per weight) and meant for tests and references.
 */
public final class AreaScaler
{
    private AreaScaler()
    {
    }

    /**
     * Scale {@code frames} source frames into all rungs.
     *
     * @param table  what to produce.
     * @param src    {@code frames x table.sourceFrameBytes()} bytes.
     * @param frames frames in the batch.
     * @param dst    at least {@code frames x table.outputFrameBytes()} bytes; overwritten.
     * @throws IllegalArgumentException when a buffer is too small.
     */
    public static void scale(final ScaleJobTable table, final byte[] src, final int frames, final byte[] dst)
    {
        scale(table, src, 0, frames, dst, 0);
    }

    /**
     * Scale {@code frames} source frames starting at {@code srcOffset} into the outputs starting at
     * {@code dstOffset}: what one kernel launch does with pointers that start there (a frame in the middle of a
     * batch drawn onto a canvas, {@link ScaleJobTable#onCanvas}).
     *
     * @param table     what to produce.
     * @param src       at least {@code srcOffset + frames x table.sourceFrameBytes()} bytes.
     * @param srcOffset where the first source frame starts.
     * @param frames    frames.
     * @param dst       at least {@code dstOffset + frames x table.outputFrameBytes()} bytes; only the jobs' samples
     *                  are written.
     * @param dstOffset where the first frame's outputs start.
     * @throws IllegalArgumentException when a buffer is too small.
     */
    public static void scale(final ScaleJobTable table, final byte[] src, final int srcOffset, final int frames,
        final byte[] dst, final int dstOffset)
    {
        final long srcFrame = table.sourceFrameBytes();
        final long dstFrame = table.outputFrameBytes();
        if (frames < 0 || srcOffset < 0 || dstOffset < 0 || src.length < srcOffset + frames * srcFrame ||
            dst.length < dstOffset + frames * dstFrame)
        {
            throw new IllegalArgumentException("buffers too small for " + frames + " frames: src " + src.length +
                " (need " + (srcOffset + frames * srcFrame) + "), dst " + dst.length + " (need " +
                (dstOffset + frames * dstFrame) + ")");
        }
        for (int f = 0; f < frames; f++)
        {
            for (int j = 0; j < table.jobCount(); j++)
            {
                scaleJob(table, j, src, (int)(srcOffset + f * srcFrame), dst, (int)(dstOffset + f * dstFrame));
            }
        }
    }

    private static void scaleJob(final ScaleJobTable table, final int j, final byte[] src, final int srcBase,
        final byte[] dst, final int dstBase)
    {
        final int dstW = table.job(j, ScaleJobTable.DST_WIDTH);
        final int dstH = table.job(j, ScaleJobTable.DST_HEIGHT);
        final int xm = table.job(j, ScaleJobTable.X_NUM);
        final int xn = table.job(j, ScaleJobTable.X_DEN);
        final int ym = table.job(j, ScaleJobTable.Y_NUM);
        final int yn = table.job(j, ScaleJobTable.Y_DEN);
        final int plane = srcBase + table.job(j, ScaleJobTable.SRC_OFFSET);
        final int pitch = table.job(j, ScaleJobTable.SRC_PITCH);
        final int step = table.job(j, ScaleJobTable.SRC_STEP);
        final int out = dstBase + table.job(j, ScaleJobTable.DST_OFFSET);
        final int outPitch = table.job(j, ScaleJobTable.DST_PITCH);
        final int outStep = table.job(j, ScaleJobTable.DST_STEP);
        final long area = (long)xm * ym;
        for (int oy = 0; oy < dstH; oy++)
        {
            final int y0 = oy * ym;
            final int y1 = y0 + ym;
            final int sy0 = y0 / yn;
            final int sy1 = (y1 - 1) / yn;
            for (int ox = 0; ox < dstW; ox++)
            {
                final int x0 = ox * xm;
                final int x1 = x0 + xm;
                final int sx0 = x0 / xn;
                final int sx1 = (x1 - 1) / xn;
                long sum = 0;
                for (int sy = sy0; sy <= sy1; sy++)
                {
                    final long wy = Math.min(y1, (sy + 1) * yn) - Math.max(y0, sy * yn);
                    final int row = plane + sy * pitch;
                    long rowSum = 0;
                    for (int sx = sx0; sx <= sx1; sx++)
                    {
                        final long wx = Math.min(x1, (sx + 1) * xn) - Math.max(x0, sx * xn);
                        rowSum += wx * (src[row + sx * step] & 0xFF);
                    }
                    sum += wy * rowSum;
                }
                dst[out + oy * outPitch + ox * outStep] = (byte)((sum + area / 2) / area);
            }
        }
    }
}
