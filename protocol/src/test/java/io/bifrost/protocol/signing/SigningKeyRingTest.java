package io.bifrost.protocol.signing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SigningKeyRingTest
{
    @Test
    void shouldFindKeysByIdAndSignWithTheCurrentOne()
    {
        final SigningKey key1 = TestKeys.key1();
        final SigningKey key2 = TestKeys.key2();
        final SigningKeyRing ring = new SigningKeyRing(key1, key2);

        assertThat(ring.current()).isSameAs(key1);
        assertThat(ring.find("k1")).isSameAs(key1);
        assertThat(ring.find("k2")).isSameAs(key2);
        assertThat(ring.find("k3")).isNull();
        assertThat(ring.find(null)).isNull();
        assertThat(ring.keyIds()).containsExactly("k1", "k2");
    }

    @Test
    void shouldRotateByAddingThenMakingCurrentThenRemoving()
    {
        final SigningKeyRing ring = new SigningKeyRing(TestKeys.key1());

        ring.add(TestKeys.key2()).makeCurrent("k2");
        assertThat(ring.current().keyId()).isEqualTo("k2");
        assertThat(ring.keyIds()).containsExactly("k2", "k1");

        assertThat(ring.remove("k1")).isTrue();
        assertThat(ring.remove("k1")).isFalse();
        assertThat(ring.keyIds()).containsExactly("k2");
        assertThat(ring.find("k1")).isNull();
    }

    @Test
    void shouldRefuseToRemoveTheCurrentKey()
    {
        final SigningKeyRing ring = new SigningKeyRing(TestKeys.key1(), TestKeys.key2());

        assertThatIllegalArgumentException().isThrownBy(() -> ring.remove("k1")).withMessageContaining("current");
        assertThat(ring.keyIds()).containsExactly("k1", "k2");
    }

    @Test
    void shouldRefuseDuplicateKeyIdsNullKeysAndUnknownCurrentKeys()
    {
        final SigningKeyRing ring = new SigningKeyRing(TestKeys.key1());

        assertThatIllegalArgumentException().isThrownBy(() -> ring.add(new SigningKey("k1", TestKeys.SECRET_2)))
            .withMessageContaining("already");
        assertThatIllegalArgumentException().isThrownBy(() -> ring.add(null));
        assertThatIllegalArgumentException().isThrownBy(() -> ring.makeCurrent("k9")).withMessageContaining("k9");
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKeyRing(null));
        assertThatIllegalArgumentException().isThrownBy(() -> new SigningKeyRing(TestKeys.key1(), TestKeys.key1()));
    }
}
