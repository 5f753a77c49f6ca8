package io.bifrost.origin.store;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKeyParser;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link TitleLayout#keyOf}: any relative file name either maps to nothing or to a key whose
 * path the strict request parser reads back as the same key (so what is imported is exactly what can be asked for).
 * Replays the committed corpus in a normal build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class TitleLayoutFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void fileNamesMapOntoParsableKeysOrNothing(final byte[] input)
    {
        final String relative = new String(input, StandardCharsets.UTF_8);
        final ContentKey key = TitleLayout.keyOf("video1", relative);
        if (key != null)
        {
            assertThat(ContentKeyParser.parse(key.path())).isEqualTo(key);
            assertThat(key.path()).isEqualTo("/vod/video1/" + relative);
        }
    }
}
