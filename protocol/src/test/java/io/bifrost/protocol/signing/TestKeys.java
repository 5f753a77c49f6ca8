package io.bifrost.protocol.signing;

import java.nio.charset.StandardCharsets;

/**
 * Fixed keys for tests, so signed tokens are reproducible (the fuzz corpus holds some).
 */
final class TestKeys
{
    static final byte[] SECRET_1 = "bifrost-test-secret-one-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SECRET_2 = "bifrost-test-secret-two-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private TestKeys()
    {
    }

    static SigningKey key1()
    {
        return new SigningKey("k1", SECRET_1);
    }

    static SigningKey key2()
    {
        return new SigningKey("k2", SECRET_2);
    }
}
