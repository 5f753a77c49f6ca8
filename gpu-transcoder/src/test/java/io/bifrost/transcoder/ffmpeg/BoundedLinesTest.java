package io.bifrost.transcoder.ffmpeg;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedLinesTest
{
    private static List<String> lines(final InputStream in, final int max) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        BoundedLines.forEach(in, max, lines::add);
        return lines;
    }

    @Test
    void shouldSplitLinesAndDropCarriageReturns() throws Exception
    {
        final byte[] text = "frame=1\r\nfps=2\n\nlast".getBytes(StandardCharsets.UTF_8);

        assertThat(lines(new ByteArrayInputStream(text), 64)).containsExactly("frame=1", "fps=2", "", "last");
    }

    @Test
    void shouldCutAnEndlessLineWithoutHoldingIt() throws Exception
    {
        // 50 MB without a newline, then a normal line: memory stays at the bound
        final InputStream endless = new InputStream()
        {
            private long left = 50_000_000;
            private final byte[] tail = "\nok\n".getBytes(StandardCharsets.US_ASCII);
            private int tailPos;

            @Override
            public int read()
            {
                if (left > 0)
                {
                    left--;
                    return 'x';
                }
                return tailPos < tail.length ? tail[tailPos++] : -1;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) throws IOException
            {
                if (left > 0)
                {
                    final int n = (int)Math.min(len, left);
                    Arrays.fill(b, off, off + n, (byte)'x');
                    left -= n;
                    return n;
                }
                return super.read(b, off, len);
            }
        };

        final List<String> lines = lines(endless, 100);

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("x".repeat(100) + BoundedLines.CUT_MARK);
        assertThat(lines.get(1)).isEqualTo("ok");
    }
}
