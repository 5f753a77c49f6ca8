package io.bifrost.protocol.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayWindowTest
{
    private final ReplayWindow window = new ReplayWindow(2);

    @Test
    void shouldAcceptOnlyMessagesNewerThanTheSendersLast()
    {
        assertThat(window.advance("e1", 1_000, 5)).isTrue();
        assertThat(window.advance("e1", 1_000, 5)).as("the same message again").isFalse();
        assertThat(window.advance("e1", 1_000, 4)).as("an older one from the same ms").isFalse();
        assertThat(window.advance("e1", 999, 9)).as("an older one").isFalse();
        assertThat(window.advance("e1", 1_000, 6)).isTrue();
        assertThat(window.advance("e1", 1_001, 0)).as("a restarted sender").isTrue();
        assertThat(window.advance("e2", 1, 0)).as("senders are independent").isTrue();
    }

    @Test
    void shouldRefuseNewSendersBeyondItsBound()
    {
        assertThat(window.advance("e1", 1, 0)).isTrue();
        assertThat(window.advance("e2", 1, 0)).isTrue();

        assertThat(window.advance("e3", 1, 0)).isFalse();
        assertThat(window.senders()).isEqualTo(2);
        assertThat(window.advance("e1", 2, 0)).isTrue();
    }
}
