package io.bifrost.protocol.auth;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetKeysTest
{
    static final String SECRET_A = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    static final String SECRET_B = Base64.getUrlEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void shouldBeOffWhenBlank()
    {
        assertThat(FleetKeys.parse(null, "k").enabled()).isFalse();
        assertThat(FleetKeys.parse("  ", "k")).isSameAs(FleetKeys.NONE);
        assertThat(FleetKeys.NONE.masked()).isEmpty();
    }

    @Test
    void shouldReadKeyIdSecretPairsWithTheSigningKeyFirst()
    {
        final FleetKeys keys = FleetKeys.parse("k2:" + SECRET_B + " , k1:" + SECRET_A, "control.fleet-keys");

        assertThat(keys.enabled()).isTrue();
        assertThat(keys.keyIds()).containsExactly("k2", "k1");
        assertThat(keys.masked()).isEqualTo("k2:****,k1:****");
        assertThat(keys.toString()).doesNotContain(SECRET_A).doesNotContain(SECRET_B);
    }

    @Test
    void shouldNameTheSettingAndKeyButNeverTheSecretWhenAnEntryIsBad()
    {
        assertThatThrownBy(() -> FleetKeys.parse("nosecret", "edge.fleet-keys"))
            .hasMessageContaining("edge.fleet-keys").hasMessageContaining("kid:secret");
        assertThatThrownBy(() -> FleetKeys.parse("k1:c2hvcnQ", "edge.fleet-keys"))
            .hasMessageContaining("'k1'").hasMessageContaining("at least 32 bytes").hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> FleetKeys.parse("k1:***not base64***", "edge.fleet-keys"))
            .hasMessageContaining("not base64url").hasMessageNotContaining("***");
        assertThatThrownBy(() -> FleetKeys.parse("a key:" + SECRET_A, "edge.fleet-keys"))
            .hasMessageContaining("key id");
        assertThatThrownBy(() -> FleetKeys.parse("k12345678901234567:" + SECRET_A, "edge.fleet-keys"))
            .hasMessageContaining("1..16");
        assertThatThrownBy(() -> FleetKeys.parse("k1:" + SECRET_A + ",k1:" + SECRET_B, "edge.fleet-keys"))
            .hasMessageContaining("twice");
    }
}
