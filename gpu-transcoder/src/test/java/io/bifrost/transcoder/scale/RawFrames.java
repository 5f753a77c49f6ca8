package io.bifrost.transcoder.scale;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.ffmpeg.ChildProcess;
import io.bifrost.transcoder.ffmpeg.TranscodeException;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Raw 8-bit 4:2:0 frames made by ffmpeg at test time ({@code testsrc2}, nothing committed), scaled by ffmpeg for
 * comparison, and the PSNR between two frames.
 */
final class RawFrames
{
    private RawFrames()
    {
    }

    /**
     * @param size   frame size.
     * @param layout I420 or NV12.
     * @param frames how many consecutive frames.
     * @return {@code frames} tightly packed frames of {@code testsrc2}.
     */
    static byte[] testPattern(final FrameSize size, final PixelLayout layout, final int frames)
        throws TranscodeException
    {
        // testsrc2 only makes even sizes: draw one pixel larger and crop to an odd size
        final int w = size.width() + (size.width() & 1);
        final int h = size.height() + (size.height() & 1);
        return ffmpegRaw(List.of("-f", "lavfi", "-i", String.format(Locale.ROOT, "testsrc2=size=%dx%d:rate=25", w, h)),
            "crop=" + size.width() + ":" + size.height() + ":0:0:exact=1", layout, frames);
    }

    /**
     * @param source      one I420 frame.
     * @param sourceSize  its size.
     * @param target      output size.
     * @param flags       swscale flags, e.g. {@code area}.
     * @return the frame scaled by ffmpeg's {@code scale} filter, I420.
     */
    static byte[] ffmpegScale(final byte[] source, final FrameSize sourceSize, final FrameSize target,
        final String flags) throws Exception
    {
        final java.nio.file.Path in = java.nio.file.Files.createTempFile("bifrost-frame", ".yuv");
        try
        {
            java.nio.file.Files.write(in, source);
            return ffmpegRaw(List.of("-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", sourceSize.toString(),
                "-i", in.toString()),
                "scale=" + target.width() + ":" + target.height() + ":flags=" + flags, PixelLayout.I420, 1);
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(in);
        }
    }

    private static byte[] ffmpegRaw(final List<String> input, final String filter, final PixelLayout layout,
        final int frames) throws TranscodeException
    {
        final List<String> args = new ArrayList<>(List.of(TestMedia.FFMPEG.toString(), "-nostdin", "-v", "error"));
        args.addAll(input);
        args.addAll(List.of("-vf", filter, "-frames:v", Integer.toString(frames),
            "-pix_fmt", layout == PixelLayout.I420 ? "yuv420p" : "nv12", "-f", "rawvideo", "pipe:1"));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChildProcess process = ChildProcess.start(args, null, in -> in.transferTo(out)))
        {
            process.awaitSuccess(Duration.ofSeconds(60));
        }
        return out.toByteArray();
    }

    /**
     * @param a      a buffer.
     * @param b      another.
     * @param offset first byte compared.
     * @param length bytes compared.
     * @return PSNR in dB (peak 255), {@code +Infinity} when identical.
     */
    static double psnr(final byte[] a, final byte[] b, final int offset, final int length)
    {
        long squared = 0;
        for (int i = offset; i < offset + length; i++)
        {
            final int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            squared += (long)d * d;
        }
        if (squared == 0)
        {
            return Double.POSITIVE_INFINITY;
        }
        final double mse = (double)squared / length;
        return 10.0 * Math.log10(255.0 * 255.0 / mse);
    }
}
