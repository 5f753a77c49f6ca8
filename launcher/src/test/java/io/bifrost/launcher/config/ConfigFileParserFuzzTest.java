package io.bifrost.launcher.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the config file parser: any text either parses into keys and values that obey the format's rules or is
 * refused with a {@link ConfigException}; nothing else may escape. Runs the committed corpus in every build; a real
 * fuzzing run is {@code JAZZER_FUZZ=1 ./mvnw -pl launcher test -Dtest=ConfigFileParserFuzzTest}.
 */
class ConfigFileParserFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void shouldParseOrRefuseAnyText(final FuzzedDataProvider data)
    {
        final String text = data.consumeRemainingAsString();
        final Map<String, String> values;
        try
        {
            values = ConfigFileParser.parse(text, "fuzz.conf");
        }
        catch (final ConfigException ex)
        {
            assertThat(ex.getMessage()).startsWith("fuzz.conf");
            return;
        }
        values.forEach((key, value) ->
        {
            assertThat(key).isNotEmpty().doesNotContain("=", "\n").isEqualTo(key.strip());
            assertThat(value).doesNotContain("\n").isEqualTo(value.strip());
        });
    }
}
