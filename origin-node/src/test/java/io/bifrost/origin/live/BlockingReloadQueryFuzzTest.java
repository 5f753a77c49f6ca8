package io.bifrost.origin.live;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bifrost.protocol.naming.ContentKey;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link BlockingReloadQuery#parse}: any request URI gives either usable directives within
 * their bounds or a refusal with a message, never an exception. Replays the committed corpus in a normal build;
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class BlockingReloadQueryFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void parsesOrRefusesAnyQuery(final byte[] input)
    {
        final BlockingReloadQuery query = BlockingReloadQuery.parse(new String(input, StandardCharsets.UTF_8));
        if (query.error() != null)
        {
            assertThat(query.error()).isNotBlank();
            assertThat(query.blocking()).isFalse();
            return;
        }
        assertThat(query.msn()).isGreaterThanOrEqualTo(-1);
        assertThat(query.part()).isBetween(-1, ContentKey.MAX_PART);
        if (query.part() >= 0)
        {
            assertThat(query.msn()).isNotNegative();
        }
    }
}
