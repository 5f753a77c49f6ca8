package io.bifrost.transcoder.cuda;

/**
 * What the CUDA probe found: either a usable device 0 (name, compute capability, memory, driver version) or the
 * reason there is none.
 *
 * @param present               whether a CUDA device can be used.
 * @param name                  device 0's name, empty when absent.
 * @param computeMajor          compute capability major (9 for H100/H200), 0 when absent.
 * @param computeMinor          compute capability minor.
 * @param totalMemoryBytes      device memory, 0 when absent.
 * @param driverVersion         CUDA driver API version, e.g. 13000 for 13.0, 0 when unknown.
 * @param reason                one line for logs: the device, or {@code no CUDA device: <why>}.
 */
public record CudaDevice(boolean present, String name, int computeMajor, int computeMinor, long totalMemoryBytes,
    int driverVersion, String reason)
{
    /** Prefix of every absent device's reason. */
    public static final String NO_DEVICE = "no CUDA device: ";

    /**
     * @param why what failed.
     * @return an absent device.
     */
    public static CudaDevice absent(final String why)
    {
        return new CudaDevice(false, "", 0, 0, 0, 0, NO_DEVICE + why);
    }
}
