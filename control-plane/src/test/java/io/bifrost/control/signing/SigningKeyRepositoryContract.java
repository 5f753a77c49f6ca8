package io.bifrost.control.signing;

import io.bifrost.control.store.ControlDatabase;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link SigningKeyRepository} must do on each database (H2 file, PostgreSQL): keep keys and their secrets
 * across a restart, hold at most one current key, refuse to retire the current key or to make a retired one current,
 * and keep a key's first retirement time.
 */
abstract class SigningKeyRepositoryContract
{
    private static final long T0 = 1_767_225_600_000L;

    /**
     * @return the current, migrated database.
     */
    abstract ControlDatabase database();

    /**
     * Close the database and open it again (a restart).
     */
    abstract void reopen();

    private SigningKeyRepository repository()
    {
        return new JdbcSigningKeyRepository(database());
    }

    private static byte[] secret(final int seed)
    {
        final byte[] secret = new byte[32];
        Arrays.fill(secret, (byte)seed);
        return secret;
    }

    private static StoredSigningKey key(final String kid, final int seed, final long createdMs, final SigningKeyState state)
    {
        return new StoredSigningKey(kid, secret(seed), createdMs, state, -1);
    }

    private List<String> states()
    {
        return repository().list().stream().map(k -> k.keyId() + "=" + k.state().wireName()).toList();
    }

    @Test
    void shouldKeepKeysAndSecretsAcrossARestart()
    {
        assertThat(repository().insert(key("a", 1, T0, SigningKeyState.CURRENT))).isTrue();
        assertThat(repository().insert(key("b", 2, T0 + 1, SigningKeyState.ACCEPTED))).isTrue();

        reopen();

        final List<StoredSigningKey> keys = repository().list();
        assertThat(keys).extracting(StoredSigningKey::keyId).containsExactly("a", "b");
        assertThat(keys.get(0).secret()).isEqualTo(secret(1));
        assertThat(keys.get(1).secret()).isEqualTo(secret(2));
        assertThat(keys.get(0).createdAtMs()).isEqualTo(T0);
        assertThat(keys.get(0).state()).isEqualTo(SigningKeyState.CURRENT);
        assertThat(keys.get(1).retiredAtMs()).isEqualTo(-1);
    }

    @Test
    void shouldRefuseASecondKeyWithTheSameId()
    {
        assertThat(repository().insert(key("a", 1, T0, SigningKeyState.ACCEPTED))).isTrue();
        assertThat(repository().insert(key("a", 2, T0 + 1, SigningKeyState.CURRENT))).isFalse();

        assertThat(states()).containsExactly("a=accepted");
        assertThat(repository().list().get(0).secret()).isEqualTo(secret(1));
    }

    @Test
    void shouldHoldOneCurrentKeyWhenAnotherIsCreatedOrMadeCurrent()
    {
        repository().insert(key("a", 1, T0, SigningKeyState.CURRENT));
        repository().insert(key("b", 2, T0 + 1, SigningKeyState.CURRENT));
        assertThat(states()).containsExactly("a=accepted", "b=current");

        assertThat(repository().makeCurrent("a")).isEqualTo(SigningKeyState.ACCEPTED);
        assertThat(states()).containsExactly("a=current", "b=accepted");

        assertThat(repository().makeCurrent("a")).isEqualTo(SigningKeyState.CURRENT);
        assertThat(repository().makeCurrent("missing")).isNull();
        assertThat(states()).containsExactly("a=current", "b=accepted");
    }

    @Test
    void shouldRetireOnlyKeysThatDoNotSign()
    {
        repository().insert(key("a", 1, T0, SigningKeyState.CURRENT));
        repository().insert(key("b", 2, T0 + 1, SigningKeyState.ACCEPTED));

        assertThatThrownBy(() -> repository().retire("a", T0 + 10)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("current");
        final StoredSigningKey retired = repository().retire("b", T0 + 10);
        assertThat(retired.state()).isEqualTo(SigningKeyState.RETIRED);
        assertThat(retired.retiredAtMs()).isEqualTo(T0 + 10);

        assertThat(repository().retire("b", T0 + 99).retiredAtMs()).as("the first retirement counts").isEqualTo(T0 + 10);
        assertThat(repository().retire("missing", T0 + 10)).isNull();
        assertThatThrownBy(() -> repository().makeCurrent("b")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("retired");

        reopen();
        assertThat(states()).containsExactly("a=current", "b=retired");
        assertThat(repository().list().get(1).retiredAtMs()).isEqualTo(T0 + 10);
    }
}
