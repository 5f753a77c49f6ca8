package io.bifrost.transcoder.backend;

import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.cuda.CudaDevice;
import io.bifrost.transcoder.cuda.CudaLadderScaler;
import io.bifrost.transcoder.encode.EncoderFamily;
import io.bifrost.transcoder.encode.LadderEncoder;
import io.bifrost.transcoder.encode.LadderEncoding;
import io.bifrost.transcoder.encode.RawFrameLadderEncoder;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;

/**
 * The backend a transcode worker runs with, chosen once at start-up by {@link BackendSelector}, and why. Never
 * {@link Backend#AUTO}. Immutable.
 *
 * @param backend CPU, NVENC or JCUDA.
 * @param reason  one line for logs and status: what was found and why this backend.
 * @param cuda    the CUDA probe result ({@code no CUDA device: configured backend cpu} when it was not probed).
 * @param nvenc   the NVENC probe result (not probed: unavailable, with the reason).
 */
public record BackendSelection(Backend backend, String reason, CudaDevice cuda, NvencSupport nvenc)
{
    /** Gauge, value 1, tagged with the chosen backend and what the probes found. */
    public static final String METRIC = "bifrost.transcode.backend";

    /**
     * @param backend the chosen backend.
     * @param reason  why.
     * @param cuda    the CUDA probe.
     * @param nvenc   the NVENC probe.
     */
    public BackendSelection
    {
        if (backend == Backend.AUTO)
        {
            throw new IllegalArgumentException("a selection is a concrete backend, not AUTO");
        }
    }

    /** Most frames per scaler launch on the JCuda path. */
    public static final int JCUDA_BATCH_FRAMES = 8;
    /** Pinned host memory per slot (input + output) the batch size is chosen to fit: 8 frames at 1080p, 3 at 2160p. */
    public static final long JCUDA_SLOT_BYTES = 128L << 20;
    /** Scaler slots on the JCuda path: two, so that reading a batch overlaps with scaling the previous one. */
    public static final int JCUDA_SLOTS = 2;

    /**
     * The ladder encoder this backend runs: CPU, libx264 in one ffmpeg; NVENC, the same one-process command with
     * h264_nvenc/hevc_nvenc; JCUDA, {@link RawFrameLadderEncoder} with the CUDA scaler and libx264.
     *
     * @param ffmpeg the executable.
     * @return the encoder, to give to {@code VodTranscoder}.
     */
    public LadderEncoding ladderEncoding(final Path ffmpeg)
    {
        return switch (backend)
        {
            case CPU -> new LadderEncoder(ffmpeg, LadderEncoder.DEFAULT_MIN_TIMEOUT,
                LadderEncoder.DEFAULT_TIMEOUT_FACTOR, EncoderFamily.SOFTWARE);
            case NVENC -> new LadderEncoder(ffmpeg, LadderEncoder.DEFAULT_MIN_TIMEOUT,
                LadderEncoder.DEFAULT_TIMEOUT_FACTOR, EncoderFamily.NVENC);
            case JCUDA -> new RawFrameLadderEncoder(ffmpeg, LadderEncoder.DEFAULT_MIN_TIMEOUT,
                LadderEncoder.DEFAULT_TIMEOUT_FACTOR,
                table -> new CudaLadderScaler(table, batchFrames(table), JCUDA_SLOTS),
                nvenc.available() ? EncoderFamily.NVENC : EncoderFamily.SOFTWARE);
            case AUTO -> throw new IllegalStateException("unreachable: a selection is never AUTO");
        };
    }

    /**
     * @param table a job's scale table.
     * @return frames per launch: as many as fit {@link #JCUDA_SLOT_BYTES}, 1..{@link #JCUDA_BATCH_FRAMES}.
     */
    public static int batchFrames(final ScaleJobTable table)
    {
        final long perFrame = table.sourceFrameBytes() + table.outputFrameBytes();
        return (int)Math.max(1, Math.min(JCUDA_BATCH_FRAMES, JCUDA_SLOT_BYTES / perFrame));
    }

    /**
     * Expose the choice as the gauge {@value #METRIC} = 1 with tags {@code backend} (cpu, nvenc, jcuda),
     * {@code cuda} (the device name, or {@code none}) and {@code nvenc} (true/false).
     *
     * @param registry where to register.
     * @return this.
     */
    public BackendSelection register(final MeterRegistry registry)
    {
        Gauge.builder(METRIC, () -> 1)
            .description("The transcode backend chosen at start-up (value 1); the tags say which and why")
            .tag("backend", backend.name().toLowerCase(java.util.Locale.ROOT))
            .tag("cuda", cuda.present() ? cuda.name() : "none")
            .tag("nvenc", Boolean.toString(nvenc.available()))
            .register(registry);
        return this;
    }
}
