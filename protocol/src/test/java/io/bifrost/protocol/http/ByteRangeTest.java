package io.bifrost.protocol.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangeTest
{
    @Test
    void shouldResolveSingleRangesAgainstTheLength()
    {
        assertThat(ByteRange.resolve("bytes=0-9", 100)).isEqualTo(new ByteRange(0, 9));
        assertThat(ByteRange.resolve("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.resolve("bytes=95-200", 100)).isEqualTo(new ByteRange(95, 99));
        assertThat(ByteRange.resolve("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99));
        assertThat(ByteRange.resolve("bytes=-500", 100)).isEqualTo(new ByteRange(0, 99));
    }

    @Test
    void shouldAnswerUnsatisfiableBeyondTheEndAndForEmptySuffixes()
    {
        assertThat(ByteRange.resolve("bytes=100-", 100)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.resolve("bytes=-0", 100)).isEqualTo(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.resolve("bytes=-5", 0)).isEqualTo(ByteRange.UNSATISFIABLE);
    }

    @Test
    void shouldServeTheWholeRepresentationForWhatItDoesNotServe()
    {
        assertThat(ByteRange.resolve(null, 100)).isEqualTo(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("items=0-9", 100)).isEqualTo(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=0-9,20-29", 100)).isEqualTo(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=9-0", 100)).isEqualTo(ByteRange.WHOLE);
        assertThat(ByteRange.resolve("bytes=99999999999999999999-", 100)).isEqualTo(ByteRange.WHOLE);
    }
}
