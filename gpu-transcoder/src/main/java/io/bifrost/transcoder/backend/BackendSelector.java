package io.bifrost.transcoder.backend;

import io.bifrost.transcoder.TranscodeWorker.Backend;
import io.bifrost.transcoder.cuda.CudaDevice;
import io.bifrost.transcoder.cuda.CudaDeviceProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Chooses the transcode backend at start-up from what the machine really has (DESIGN.md section 6):
 * <ul>
 *   <li>{@code cpu}: libx264, nothing probed (JCuda is not even loaded).</li>
 *   <li>{@code auto}: CUDA is probed first ({@link CudaDeviceProbe}); without a device the answer is CPU with the reason
 *       {@code no CUDA device: <why>}, and NVENC is not tried (it needs CUDA). With a device, NVENC is tried
 *       ({@link NvencProbe}): NVENC when it encodes, else JCUDA (JCuda scaling, libx264 encoding), which is what an
 *       H100/H200 gets.</li>
 *   <li>{@code nvenc} or {@code jcuda} set explicitly: the probe must succeed, or start-up fails with its reason; an
 *       operator who asked for the GPU should not silently get the CPU.</li>
 * </ul>
 * The choice is logged once at INFO. Thread-safe (stateless).
 */
public final class BackendSelector
{
    private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);

    private BackendSelector()
    {
    }

    /**
     * Probe this machine.
     *
     * @param requested the configured {@code transcode.backend}.
     * @param ffmpeg    the ffmpeg executable (for the NVENC trial encode).
     * @return the selection.
     * @throws IllegalStateException when an explicitly requested GPU backend is not available.
     */
    public static BackendSelection select(final Backend requested, final Path ffmpeg)
    {
        return select(requested, CudaDeviceProbe::device, () -> new NvencProbe(ffmpeg, Duration.ofSeconds(30)).probe());
    }

    /**
     * @param requested the configured backend.
     * @param cuda      the CUDA probe, called at most once.
     * @param nvenc     the NVENC probe, called at most once and only when it matters.
     * @return the selection.
     * @throws IllegalStateException when an explicitly requested GPU backend is not available.
     */
    public static BackendSelection select(final Backend requested, final Supplier<CudaDevice> cuda,
        final Supplier<NvencSupport> nvenc)
    {
        final BackendSelection selection = choose(requested, cuda, nvenc);
        LOG.info("transcode backend {} (requested {}): {}", selection.backend(), requested, selection.reason());
        return selection;
    }

    private static BackendSelection choose(final Backend requested, final Supplier<CudaDevice> cuda,
        final Supplier<NvencSupport> nvenc)
    {
        if (requested == Backend.CPU)
        {
            return new BackendSelection(Backend.CPU, "configured: cpu (libx264)",
                CudaDevice.absent("not probed, transcode.backend is cpu"),
                new NvencSupport(false, "not probed, transcode.backend is cpu"));
        }
        final CudaDevice device = cuda.get();
        if (!device.present())
        {
            final NvencSupport none = new NvencSupport(false, "not probed: NVENC needs a CUDA device");
            if (requested == Backend.AUTO)
            {
                return new BackendSelection(Backend.CPU, device.reason() + "; using the CPU (libx264)", device, none);
            }
            throw new IllegalStateException("the configured transcode backend is " + name(requested) + " but " +
                device.reason());
        }
        if (requested == Backend.JCUDA)
        {
            return new BackendSelection(Backend.JCUDA, "configured: jcuda; " + device.reason(), device,
                new NvencSupport(false, "not probed, transcode.backend is jcuda"));
        }
        final NvencSupport encoder = nvenc.get();
        if (encoder.available())
        {
            return new BackendSelection(Backend.NVENC, device.reason() + "; " + encoder.reason(), device, encoder);
        }
        if (requested == Backend.NVENC)
        {
            throw new IllegalStateException("the configured transcode backend is nvenc but " + encoder.reason());
        }
        return new BackendSelection(Backend.JCUDA, device.reason() + "; " + encoder.reason() +
            "; using JCuda scaling with libx264", device, encoder);
    }

    private static String name(final Backend backend)
    {
        return backend.name().toLowerCase(java.util.Locale.ROOT);
    }
}
