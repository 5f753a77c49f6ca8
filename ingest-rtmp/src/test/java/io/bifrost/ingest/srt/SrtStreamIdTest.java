package io.bifrost.ingest.srt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the bridge finds the stream key: ffmpeg 5.1's log line, then the stream id forms publishers use.
 */
class SrtStreamIdTest
{
    private static final String KEY = "sk_Zq9-_xZq9-_xZq9-_xZq9-_xZq9-_xZq9-_xZq9-_xa";

    @Test
    void shouldReadStreamIdFromFfmpegVerboseLine()
    {
        assertThat(SrtStreamId.fromLogLine("[srt @ 0x558d62072140] accept streamid [" + KEY + "], length " + KEY.length()))
            .isEqualTo(KEY);
        assertThat(SrtStreamId.fromLogLine("[srt @ 0x1] accept streamid [a], b], length 5")).isEqualTo("a], b");
        assertThat(SrtStreamId.fromLogLine("Input #0, mpegts, from 'srt://...'")).isNull();
    }

    @Test
    void shouldRefuseLogLineWhoseLengthDoesNotMatch()
    {
        assertThatThrownBy(() -> SrtStreamId.fromLogLine("[srt @ 0x1] accept streamid [abc], length 4"))
            .isInstanceOf(SrtStreamIdException.class).hasMessageContaining("length");
        assertThatThrownBy(() -> SrtStreamId.fromLogLine("[srt @ 0x1] accept streamid [abc"))
            .isInstanceOf(SrtStreamIdException.class);
    }

    @Test
    void shouldTakeKeyFromBarePathAndAccessControlForms()
    {
        assertThat(SrtStreamId.streamKey(KEY)).isEqualTo(KEY);
        assertThat(SrtStreamId.streamKey("live/" + KEY)).isEqualTo(KEY);
        assertThat(SrtStreamId.streamKey("#!::r=" + KEY + ",m=publish")).isEqualTo(KEY);
        assertThat(SrtStreamId.streamKey("#!::u=obs,r=live/" + KEY)).isEqualTo(KEY);
    }

    @Test
    void shouldRefuseStreamIdsWithoutUsableKey()
    {
        assertThatThrownBy(() -> SrtStreamId.streamKey("#!::r=" + KEY + ",m=request"))
            .isInstanceOf(SrtStreamIdException.class).hasMessageContaining("publish");
        assertThatThrownBy(() -> SrtStreamId.streamKey("#!::m=publish")).isInstanceOf(SrtStreamIdException.class);
        assertThatThrownBy(() -> SrtStreamId.streamKey("../../etc/passwd")).isInstanceOf(SrtStreamIdException.class);
        assertThatThrownBy(() -> SrtStreamId.streamKey("")).isInstanceOf(SrtStreamIdException.class);
        assertThatThrownBy(() -> SrtStreamId.streamKey("k".repeat(257))).isInstanceOf(SrtStreamIdException.class);
    }
}
