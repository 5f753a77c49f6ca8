package io.bifrost.origin.live;

import io.bifrost.origin.TestClips;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Live fragmented MP4 made at test time with ffmpeg (nothing is committed), the way live producers write it: CMAF,
 * empty moov, one fragment per part (1/3 s), keyframes every 2 s on the segment grid.
 */
final class LiveTestMedia
{
    private LiveTestMedia()
    {
    }

    /**
     * @return H.264 320x180 at 30 fps, a keyframe every {@code gopFrames}, fragments of 10 frames.
     */
    static byte[] video(final Path dir, final int seconds, final int gopFrames)
    {
        final Path out = dir.resolve("video-" + seconds + "-" + gopFrames + ".mp4");
        if (!Files.exists(out))
        {
            TestClips.run(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", Integer.toString(gopFrames), "-keyint_min", Integer.toString(gopFrames), "-sc_threshold", "0", "-f", "mp4",
                "-movflags", "+frag_keyframe+empty_moov+default_base_moof+cmaf", "-frag_duration", "333333",
                out.toString()));
        }
        return read(out);
    }

    /**
     * @return AAC-LC stereo 48 kHz, fragments of about 1/3 s.
     */
    static byte[] audio(final Path dir, final int seconds)
    {
        final Path out = dir.resolve("audio-" + seconds + ".mp4");
        if (!Files.exists(out))
        {
            TestClips.run(List.of(TestClips.FFMPEG.toString(), "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:a", "aac", "-ac", "2", "-b:a", "96k", "-f", "mp4",
                "-movflags", "+empty_moov+default_base_moof+cmaf", "-frag_duration", "333333", out.toString()));
        }
        return read(out);
    }

    /**
     * @return the file cut into its header (ftyp + moov) and one entry per moof + mdat.
     */
    static List<byte[]> units(final byte[] file)
    {
        final List<byte[]> units = new ArrayList<>();
        int pos = 0;
        int unitStart = 0;
        while (pos + 8 <= file.length)
        {
            final int size = ByteBuffer.wrap(file, pos, 4).getInt();
            final String type = new String(file, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            pos += size;
            if (type.equals("moov") || type.equals("mdat"))
            {
                units.add(Arrays.copyOfRange(file, unitStart, pos));
                unitStart = pos;
            }
        }
        return units;
    }

    /**
     * Feeds bytes into a sink in random chunk sizes (1 byte to 64 KiB).
     */
    static void feed(final CmafTrackSink sink, final byte[] bytes, final Random random)
    {
        int pos = 0;
        while (pos < bytes.length)
        {
            final int size = Math.min(bytes.length - pos, 1 + random.nextInt(random.nextBoolean() ? 64 : 65536));
            sink.accept(ByteBuffer.wrap(bytes, pos, size));
            pos += size;
        }
    }

    /**
     * Feeds several renditions the way live producers do, one fragment of each in turn, each in random chunks.
     */
    static void feedInterleaved(final LiveSession session, final java.util.Map<String, byte[]> files,
        final Random random)
    {
        final java.util.Map<String, List<byte[]>> units = new java.util.LinkedHashMap<>();
        files.forEach((rendition, bytes) -> units.put(rendition, units(bytes)));
        boolean more = true;
        for (int i = 0; more; i++)
        {
            more = false;
            for (final java.util.Map.Entry<String, List<byte[]>> entry : units.entrySet())
            {
                if (i < entry.getValue().size())
                {
                    feed(session.track(entry.getKey()), entry.getValue().get(i), random);
                    more = true;
                }
            }
        }
    }

    static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
