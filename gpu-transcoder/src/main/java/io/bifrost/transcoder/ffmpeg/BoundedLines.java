package io.bifrost.transcoder.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a child's output into lines without trusting it: a line longer than the bound is cut (the rest up to the
 * next newline is skipped and the line is marked with {@code [...]}), so a process that prints megabytes without a
 * newline costs a fixed amount of memory. Bytes are decoded as UTF-8 (malformed sequences become U+FFFD); {@code \r}
 * before {@code \n} is dropped.
 */
public final class BoundedLines
{
    /** Marks a cut line. */
    public static final String CUT_MARK = "[...]";

    private BoundedLines()
    {
    }

    /**
     * Read to the end of the stream.
     *
     * @param in       the stream.
     * @param maxBytes longest line kept, in bytes.
     * @param sink     receives each line without its terminator (a last line without newline too).
     * @throws IOException when reading fails.
     */
    public static void forEach(final InputStream in, final int maxBytes, final Consumer<String> sink)
        throws IOException
    {
        final byte[] buffer = new byte[8192];
        final byte[] line = new byte[maxBytes];
        int length = 0;
        boolean cut = false;
        int read;
        while ((read = in.read(buffer)) >= 0)
        {
            for (int i = 0; i < read; i++)
            {
                final byte b = buffer[i];
                if (b == '\n')
                {
                    emit(line, length, cut, sink);
                    length = 0;
                    cut = false;
                }
                else if (length < maxBytes)
                {
                    line[length++] = b;
                }
                else
                {
                    cut = true;
                }
            }
        }
        if (length > 0 || cut)
        {
            emit(line, length, cut, sink);
        }
    }

    private static void emit(final byte[] line, final int length, final boolean cut, final Consumer<String> sink)
    {
        final int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        final String text = new String(line, 0, end, StandardCharsets.UTF_8);
        sink.accept(cut ? text + CUT_MARK : text);
    }
}
