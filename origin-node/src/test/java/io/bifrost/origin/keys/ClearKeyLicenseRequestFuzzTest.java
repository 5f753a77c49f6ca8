package io.bifrost.origin.keys;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for the ClearKey licence request parser, which reads untrusted bytes from any browser: it
 * returns a bounded request of 16-byte key ids or refuses with {@link ClearKeyLicenseRequest.Malformed}; nothing
 * else escapes. Replays the committed corpus in a normal build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ClearKeyLicenseRequestFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void licenseRequestIsParsedOrRefused(final byte[] input)
    {
        try
        {
            final ClearKeyLicenseRequest request = ClearKeyLicenseRequest.parse(input);
            assertThat(request.kids()).isNotEmpty().hasSizeLessThanOrEqualTo(ClearKeyLicenseRequest.MAX_KIDS);
            request.kids().forEach(kid -> assertThat(kid).hasSize(16));
            assertThat(request.type()).isIn("temporary", "persistent-license");
        }
        catch (final ClearKeyLicenseRequest.Malformed ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }
}
