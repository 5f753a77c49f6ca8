package io.bifrost.protocol.signing;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class UrlTokenPathFormTest
{
    @Test
    void shouldKeepTheTokenPrefixWhenAPlayerResolvesRelativeUris()
    {
        final String token = new UrlSigner(new SigningKeyRing(TestKeys.key1())).sign("/live/cam1/", Instant.ofEpochSecond(2_000_000_000L));
        final URI playlist = URI.create("https://edge.example" + UrlToken.inPath(token, "/live/cam1/720p/index.m3u8"));

        assertThat(playlist.getRawPath()).isEqualTo("/t/" + token + "/live/cam1/720p/index.m3u8");
        assertThat(playlist.resolve("5-12.3.m4s").getRawPath()).isEqualTo("/t/" + token + "/live/cam1/720p/5-12.3.m4s");
        assertThat(playlist.resolve("../360p/index.m3u8").getRawPath()).isEqualTo("/t/" + token + "/live/cam1/360p/index.m3u8");
    }

    @Test
    void shouldRefuseWhatCannotBeAPathForm()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> UrlToken.inPath("", "/vod/a/master.m3u8"));
        assertThatIllegalArgumentException().isThrownBy(() -> UrlToken.inPath("a/b", "/vod/a/master.m3u8"));
        assertThatIllegalArgumentException().isThrownBy(() -> UrlToken.inPath("a".repeat(UrlToken.MAX_LENGTH + 1), "/vod/a/"));
        assertThatIllegalArgumentException().isThrownBy(() -> UrlToken.inPath("abc", "vod/a/master.m3u8"));
        assertThat(UrlToken.inPath("v1.k1.9.AA..BB", "/vod/a/master.m3u8")).isEqualTo("/t/v1.k1.9.AA..BB/vod/a/master.m3u8");
    }
}
