package io.bifrost.transcoder.cuda;

import io.bifrost.transcoder.scale.AreaLadderScaler;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.ScaleJobTable;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JCuda ladder scaler: the PTX kernel {@code ladder_area} (src/main/cuda/ladder_scale.cu, bit-exact with
 * {@link io.bifrost.transcoder.scale.AreaScaler}) produces every rung of a {@link ScaleJobTable} for a batch of up to
 * {@code maxFrames} frames in one launch.
 * <p>
 * Overlap: the scaler owns {@code slots} independent pipelines, each with pinned (page-locked) host buffers, device
 * buffers and its own CUDA stream. {@link #submit(int, int)} queues upload, kernel and download on the slot's stream
 * and returns at once, so the caller fills slot 1 while slot 0 is on the GPU, then {@link #await(int)}s slot 0 and
 * reads its output. The host buffers from {@link #input(int)} / {@link #output(int)} belong to the scaler: do not
 * touch a slot's buffers between its {@code submit} and {@code await}, nor after {@link #close()}.
 * <p>
 * Uses the device's primary context (shared with anything else in the process that uses device 0). Not thread-safe:
 * calls must not overlap, but they may come from different threads one after another (the encoder builds it on the
 * job's thread and feeds it on the decoder's stdout thread): every call makes the context current on its own thread.
 * Construct it only when {@link CudaDeviceProbe#device()} reports a device.
 */
public final class CudaLadderScaler implements LadderScaler
{
    /** Name of the PTX module on the class path. */
    public static final String MODULE = "ladder_scale";
    /** Name of the kernel in it. */
    public static final String KERNEL = "ladder_area";
    /** Threads per block: a multiple of the warp size; the job table is copied to shared memory once per block. */
    static final int BLOCK_THREADS = 256;
    /** Most frames per launch: the grid's y dimension. */
    public static final int MAX_BATCH_FRAMES = 65_535;

    private final ScaleJobTable table;
    private final int maxFrames;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final CUfunction function = new CUfunction();
    private final CUdeviceptr jobs = new CUdeviceptr();
    private final Slot[] slots;
    /** What to undo on close, most recent first: each allocation pushes its release once it succeeded. */
    private final ArrayDeque<Runnable> releases = new ArrayDeque<>();
    private final List<Canvas> canvases = new ArrayList<>();
    private boolean closed;

    /** A canvas in device memory, and its pieces' job tables back to back in one device array. */
    private record Canvas(CUdeviceptr pixels, long bytes, CUdeviceptr jobs, List<ScaleJobTable> pieces,
        long[] jobByteOffsets)
    {
    }

    private static final class Slot
    {
        final CUstream stream = new CUstream();
        final Pointer hostInput = new Pointer();
        final Pointer hostOutput = new Pointer();
        final CUdeviceptr deviceInput = new CUdeviceptr();
        final CUdeviceptr deviceOutput = new CUdeviceptr();
        ByteBuffer input;
        ByteBuffer output;
        int frames;
    }

    /**
     * @param table     the rungs to produce.
     * @param maxFrames frames per launch, 1..{@link #MAX_BATCH_FRAMES}; host and device buffers are sized for it.
     * @param slots     independent upload/launch/download pipelines (2 overlaps transfer with compute).
     * @throws IllegalStateException when there is no CUDA device (the probe's reason), or a CUDA call fails.
     */
    public CudaLadderScaler(final ScaleJobTable table, final int maxFrames, final int slots)
    {
        final CudaDevice probed = CudaDeviceProbe.device();
        if (!probed.present())
        {
            throw new IllegalStateException(probed.reason());
        }
        if (maxFrames < 1 || maxFrames > MAX_BATCH_FRAMES || slots < 1 || slots > 8)
        {
            throw new IllegalArgumentException("maxFrames must be 1.." + MAX_BATCH_FRAMES + " and slots 1..8, got " +
                maxFrames + ", " + slots);
        }
        final long inputBytes = maxFrames * table.sourceFrameBytes();
        final long outputBytes = maxFrames * table.outputFrameBytes();
        if (inputBytes > Integer.MAX_VALUE || outputBytes > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("a batch of " + maxFrames + " frames needs more than 2 GiB of buffer");
        }
        this.table = table;
        this.maxFrames = maxFrames;
        this.slots = new Slot[slots];
        JCudaDriver.cuDeviceGet(device, 0);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        releases.push(() -> JCudaDriver.cuDevicePrimaryCtxRelease(device));
        try
        {
            JCudaDriver.cuCtxSetCurrent(context);
            final byte[] ptx = PtxResource.load(MODULE).text().getBytes(StandardCharsets.US_ASCII);
            JCudaDriver.cuModuleLoadData(module, Arrays.copyOf(ptx, ptx.length + 1)); // NUL-terminated image
            releases.push(() -> JCudaDriver.cuModuleUnload(module));
            JCudaDriver.cuModuleGetFunction(function, module, KERNEL);
            final int[] jobTable = table.jobs();
            JCudaDriver.cuMemAlloc(jobs, (long)jobTable.length * Integer.BYTES);
            releases.push(() -> JCudaDriver.cuMemFree(jobs));
            JCudaDriver.cuMemcpyHtoD(jobs, Pointer.to(jobTable), (long)jobTable.length * Integer.BYTES);
            for (int i = 0; i < slots; i++)
            {
                final Slot slot = new Slot();
                this.slots[i] = slot;
                JCudaDriver.cuStreamCreate(slot.stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
                releases.push(() -> JCudaDriver.cuStreamDestroy(slot.stream));
                JCudaDriver.cuMemAllocHost(slot.hostInput, inputBytes);
                releases.push(() -> JCudaDriver.cuMemFreeHost(slot.hostInput));
                JCudaDriver.cuMemAllocHost(slot.hostOutput, outputBytes);
                releases.push(() -> JCudaDriver.cuMemFreeHost(slot.hostOutput));
                JCudaDriver.cuMemAlloc(slot.deviceInput, inputBytes);
                releases.push(() -> JCudaDriver.cuMemFree(slot.deviceInput));
                JCudaDriver.cuMemAlloc(slot.deviceOutput, outputBytes);
                releases.push(() -> JCudaDriver.cuMemFree(slot.deviceOutput));
                slot.input = slot.hostInput.getByteBuffer(0, inputBytes);
                slot.output = slot.hostOutput.getByteBuffer(0, outputBytes);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public ScaleJobTable table()
    {
        return table;
    }

    @Override
    public int maxFrames()
    {
        return maxFrames;
    }

    @Override
    public int slots()
    {
        return slots.length;
    }

    /**
     * @param slot a slot index.
     * @return its pinned input buffer: {@code maxFrames x sourceFrameBytes} bytes, frames back to back.
     */
    @Override
    public ByteBuffer input(final int slot)
    {
        return slots[slot].input.duplicate().clear();
    }

    /**
     * @param slot a slot index.
     * @return its pinned output buffer: {@code maxFrames x outputFrameBytes}, valid after {@link #await(int)}.
     */
    @Override
    public ByteBuffer output(final int slot)
    {
        return slots[slot].output.asReadOnlyBuffer().clear();
    }

    /**
     * Queue upload of the first {@code frames} frames of the slot's input, the kernel, and the download; returns
     * without waiting.
     *
     * @param slot   a slot index.
     * @param frames frames in the batch, 1..maxFrames.
     */
    @Override
    public void submit(final int slot, final int frames)
    {
        if (frames < 1 || frames > maxFrames)
        {
            throw new IllegalArgumentException("frames must be 1.." + maxFrames + ", got " + frames);
        }
        final Slot s = slots[slot];
        JCudaDriver.cuCtxSetCurrent(context);
        final long srcBytes = table.sourceFrameBytes();
        final long dstBytes = table.outputFrameBytes();
        JCudaDriver.cuMemcpyHtoDAsync(s.deviceInput, s.hostInput, frames * srcBytes, s.stream);
        final Pointer params = Pointer.to(
            Pointer.to(s.deviceInput), Pointer.to(new long[] {srcBytes}),
            Pointer.to(s.deviceOutput), Pointer.to(new long[] {dstBytes}),
            Pointer.to(jobs), Pointer.to(new int[] {table.jobCount()}), Pointer.to(new int[] {table.totalThreads()}));
        final int blocks = (table.totalThreads() + BLOCK_THREADS - 1) / BLOCK_THREADS;
        JCudaDriver.cuLaunchKernel(function, blocks, frames, 1, BLOCK_THREADS, 1, 1, 0, s.stream, params, null);
        JCudaDriver.cuMemcpyDtoHAsync(s.hostOutput, s.deviceOutput, frames * dstBytes, s.stream);
        s.frames = frames;
    }

    /**
     * Wait for a slot's queued work.
     *
     * @param slot a slot index.
     * @return frames now in the slot's output.
     */
    @Override
    public int await(final int slot)
    {
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamSynchronize(slots[slot].stream);
        return slots[slot].frames;
    }

    /**
     * Upload the background and every piece's job table once; draws then only launch.
     */
    @Override
    public int addCanvas(final List<ScaleJobTable> pieces, final byte[] background)
    {
        AreaLadderScaler.checkPieces(table, pieces, background.length);
        JCudaDriver.cuCtxSetCurrent(context);
        final CUdeviceptr pixels = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(pixels, background.length);
        releases.push(() -> JCudaDriver.cuMemFree(pixels));
        JCudaDriver.cuMemcpyHtoD(pixels, Pointer.to(background), background.length);
        final long[] offsets = new long[pieces.size()];
        int ints = 0;
        for (int i = 0; i < pieces.size(); i++)
        {
            offsets[i] = (long)ints * Integer.BYTES;
            ints += pieces.get(i).jobCount() * ScaleJobTable.JOB_INTS;
        }
        final int[] all = new int[ints];
        for (int i = 0; i < pieces.size(); i++)
        {
            final int[] piece = pieces.get(i).jobs();
            System.arraycopy(piece, 0, all, (int)(offsets[i] / Integer.BYTES), piece.length);
        }
        final CUdeviceptr canvasJobs = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(canvasJobs, (long)all.length * Integer.BYTES);
        releases.push(() -> JCudaDriver.cuMemFree(canvasJobs));
        JCudaDriver.cuMemcpyHtoD(canvasJobs, Pointer.to(all), (long)all.length * Integer.BYTES);
        canvases.add(new Canvas(pixels, background.length, canvasJobs, List.copyOf(pieces), offsets));
        return canvases.size() - 1;
    }

    /**
     * Queue the piece's launch on the slot's stream, after the batch's ladder: the source is the frame already in
     * the slot's device input, so a still costs one small launch and no upload.
     */
    @Override
    public void draw(final int slot, final int frame, final int canvas, final int piece)
    {
        final Slot s = slots[slot];
        if (frame < 0 || frame >= s.frames)
        {
            throw new IllegalArgumentException("frame " + frame + " is not in slot " + slot + "'s batch of " +
                s.frames);
        }
        final Canvas c = canvases.get(canvas);
        final ScaleJobTable jobsOfPiece = c.pieces().get(piece);
        JCudaDriver.cuCtxSetCurrent(context);
        final Pointer params = Pointer.to(
            Pointer.to(s.deviceInput.withByteOffset(frame * table.sourceFrameBytes())),
            Pointer.to(new long[] {table.sourceFrameBytes()}),
            Pointer.to(c.pixels()), Pointer.to(new long[] {c.bytes()}),
            Pointer.to(c.jobs().withByteOffset(c.jobByteOffsets()[piece])),
            Pointer.to(new int[] {jobsOfPiece.jobCount()}), Pointer.to(new int[] {jobsOfPiece.totalThreads()}));
        final int blocks = (jobsOfPiece.totalThreads() + BLOCK_THREADS - 1) / BLOCK_THREADS;
        JCudaDriver.cuLaunchKernel(function, blocks, 1, 1, BLOCK_THREADS, 1, 1, 0, s.stream, params, null);
    }

    @Override
    public byte[] canvas(final int canvas)
    {
        final Canvas c = canvases.get(canvas);
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuCtxSynchronize(); // draws run on every slot's stream
        final byte[] out = new byte[(int)c.bytes()];
        JCudaDriver.cuMemcpyDtoH(Pointer.to(out), c.pixels(), c.bytes());
        return out;
    }

    /**
     * Scale in one call through slot 0 (tests and one-off frames).
     *
     * @param src    {@code frames x sourceFrameBytes}.
     * @param frames frames.
     * @param dst    at least {@code frames x outputFrameBytes}.
     */
    public void scale(final byte[] src, final int frames, final byte[] dst)
    {
        input(0).put(src, 0, (int)(frames * table.sourceFrameBytes()));
        submit(0, frames);
        await(0);
        output(0).get(dst, 0, (int)(frames * table.outputFrameBytes()));
    }

    /**
     * Free device and pinned memory, streams and the module, and release the primary context. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try
        {
            JCudaDriver.cuCtxSetCurrent(context);
            JCudaDriver.cuCtxSynchronize(); // nothing may still be in flight into memory about to be freed
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        while (!releases.isEmpty())
        {
            try
            {
                releases.pop().run();
            }
            catch (final RuntimeException ex)
            {
                if (failure == null)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }
}
