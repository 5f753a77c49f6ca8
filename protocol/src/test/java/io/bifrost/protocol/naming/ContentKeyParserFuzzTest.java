package io.bifrost.protocol.naming;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link ContentKeyParser}. In a normal build it replays the committed corpus under
 * {@code src/test/resources/io/bifrost/protocol/naming/ContentKeyParserFuzzTestInputs/}; with {@code JAZZER_FUZZ=1}
 * it fuzzes for {@code maxDuration}.
 */
class ContentKeyParserFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void parseNeverThrowsAndAcceptsOnlyCanonicalPaths(final byte[] input)
    {
        // Latin-1 maps every byte to one char (control and non-ASCII included); UTF-8 adds multi-byte and surrogates.
        assertParsesToCanonicalKeyOrRejects(new String(input, StandardCharsets.ISO_8859_1));
        assertParsesToCanonicalKeyOrRejects(new String(input, StandardCharsets.UTF_8));
    }

    private static void assertParsesToCanonicalKeyOrRejects(final String path)
    {
        final PathParseResult result = ContentKeyParser.parse(path);
        assertThat(result).isNotNull();
        if (result instanceof ContentKey key)
        {
            assertThat(ContentKeys.rebuild(key).path()).isEqualTo(path);
            assertThat(ContentKeyParser.parse(key.path())).isEqualTo(key);
        }
    }
}
