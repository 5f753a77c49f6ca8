package io.bifrost.edge.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenPathTest
{
    @Test
    void shouldSplitThePathFormIntoTokenAndTheRestOfThePath()
    {
        final String path = "/t/v1.k1.99.L3ZvZC8.AA.mac/vod/abc/720p/3.m4s";

        final int split = TokenPath.split(path);

        assertThat(TokenPath.token(path, split)).isEqualTo("v1.k1.99.L3ZvZC8.AA.mac");
        assertThat(path.substring(split)).isEqualTo("/vod/abc/720p/3.m4s");
    }

    @Test
    void shouldLeaveEveryOtherPathAlone()
    {
        assertThat(TokenPath.split("/vod/abc/master.m3u8")).isEqualTo(TokenPath.ABSENT);
        assertThat(TokenPath.split("/tv/abc/master.m3u8")).isEqualTo(TokenPath.ABSENT);
        assertThat(TokenPath.split("/T/abc/vod/x")).isEqualTo(TokenPath.ABSENT);
        assertThat(TokenPath.split("")).isEqualTo(TokenPath.ABSENT);
    }

    @Test
    void shouldRejectAnEmptyOverlongOrIncompletePathFormWithItsReason()
    {
        assertThat(TokenPath.Rejection.of(TokenPath.split("/t//vod/abc/master.m3u8"))).isEqualTo(TokenPath.Rejection.EMPTY);
        assertThat(TokenPath.Rejection.of(TokenPath.split("/t/" + "a".repeat(1025) + "/vod/x/master.m3u8")))
            .isEqualTo(TokenPath.Rejection.TOO_LONG);
        assertThat(TokenPath.Rejection.of(TokenPath.split("/t/" + "a".repeat(2000))))
            .isEqualTo(TokenPath.Rejection.TOO_LONG);
        assertThat(TokenPath.Rejection.of(TokenPath.split("/t"))).isEqualTo(TokenPath.Rejection.INCOMPLETE);
        assertThat(TokenPath.Rejection.of(TokenPath.split("/t/"))).isEqualTo(TokenPath.Rejection.INCOMPLETE);
        assertThat(TokenPath.Rejection.of(TokenPath.split("/t/abc"))).isEqualTo(TokenPath.Rejection.INCOMPLETE);
        assertThat(TokenPath.split("/t/" + "a".repeat(1024) + "/vod/x/master.m3u8")).isEqualTo(1027);
    }
}
