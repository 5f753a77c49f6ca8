package io.bifrost.edge.fill;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hop header comes from any client: every value parses to a count within bounds or to {@link FillHops#MALFORMED},
 * never an exception. The committed corpus ({@code FillHopsFuzzTestInputs}) runs as a regression test in every build.
 * Real fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl edge-node test -Dtest=FillHopsFuzzTest}.
 */
class FillHopsFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void shouldParseAnyHeaderToACountInRangeOrMalformed(final FuzzedDataProvider data)
    {
        final String value = data.consumeRemainingAsString();

        final int hops = FillHops.parse(value);

        assertThat(hops).isBetween(FillHops.MALFORMED, FillHops.MAX_VALUE);
        if (hops != FillHops.MALFORMED)
        {
            assertThat(value).matches("[ \\t]*[0-9]{1,2}[ \\t]*");
        }
    }
}
