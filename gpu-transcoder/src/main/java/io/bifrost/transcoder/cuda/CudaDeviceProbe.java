package io.bifrost.transcoder.cuda;

import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;

/**
 * Finds out once per JVM whether CUDA can be used, through JCuda's driver API ({@code cuInit}, device 0).
 * <p>
 * JCuda is loaded lazily, here and only here: without {@code libcuda.so.1} the first touch of {@code JCudaDriver}
 * throws {@link UnsatisfiedLinkError} and every later touch {@link NoClassDefFoundError} (STACK.md), so the answer is
 * computed once, by the class-holder idiom, and every {@link LinkageError} becomes a "no CUDA device" result instead
 * of escaping. Nothing else may touch JCuda before {@link #device()} said a device is present. Thread-safe.
 */
public final class CudaDeviceProbe
{
    private CudaDeviceProbe()
    {
    }

    /**
     * @return the probe result, computed on the first call (which loads JCuda's native library).
     */
    public static CudaDevice device()
    {
        return Holder.DEVICE;
    }

    private static final class Holder
    {
        private static final CudaDevice DEVICE = probe();
    }

    private static CudaDevice probe()
    {
        try
        {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            final int[] value = new int[1];
            JCudaDriver.cuDriverGetVersion(value);
            final int driverVersion = value[0];
            JCudaDriver.cuDeviceGetCount(value);
            if (value[0] == 0)
            {
                return CudaDevice.absent("cuInit succeeded but the driver lists no device");
            }
            final CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, 0);
            final byte[] name = new byte[256];
            JCudaDriver.cuDeviceGetName(name, name.length, device);
            final int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            final int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            final long[] memory = new long[1];
            JCudaDriver.cuDeviceTotalMem(memory, device);
            final String deviceName = cString(name);
            return new CudaDevice(true, deviceName, major, minor, memory[0], driverVersion,
                "CUDA device 0: " + deviceName + " (sm_" + major + minor + ", " + (memory[0] >> 20) + " MiB, driver " +
                driverVersion / 1000 + "." + driverVersion % 1000 / 10 + ")");
        }
        catch (final LinkageError ex)
        {
            return CudaDevice.absent("the CUDA driver library (libcuda.so.1) or JCuda's native library could not be " +
                "loaded (" + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage()) + ")");
        }
        catch (final CudaException ex)
        {
            return CudaDevice.absent("the CUDA driver refused: " + firstLine(ex.getMessage()));
        }
    }

    private static int attribute(final CUdevice device, final int attribute)
    {
        final int[] value = new int[1];
        JCudaDriver.cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    private static String cString(final byte[] bytes)
    {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0)
        {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "no message";
        }
        final int newline = message.indexOf('\n');
        final String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
