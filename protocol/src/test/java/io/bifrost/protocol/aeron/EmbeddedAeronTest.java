package io.bifrost.protocol.aeron;

import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedAeronTest
{
    @TempDir
    Path temp;

    @Test
    void shouldShareOneDriverBetweenRolesAndStopItWithTheLastHandle() throws InterruptedException
    {
        final Path dir = temp.resolve("aeron");
        final List<String> received = new ArrayList<>();
        try (EmbeddedAeron origin = EmbeddedAeron.acquire(dir, false))
        {
            try (EmbeddedAeron edge = EmbeddedAeron.acquire(dir, false);
                Subscription subscription = edge.aeron().addSubscription("aeron:ipc", 7);
                Publication publication = origin.aeron().addPublication("aeron:ipc", 7))
            {
                assertThat(edge.aeron()).isSameAs(origin.aeron());
                final UnsafeBuffer message = new UnsafeBuffer("part 0".getBytes(StandardCharsets.US_ASCII));
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (publication.offer(message) < 0 && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                while (received.isEmpty() && System.nanoTime() < deadline)
                {
                    subscription.poll((buffer, offset, length, header) ->
                        received.add(buffer.getStringWithoutLengthAscii(offset, length)), 10);
                }
            }
            assertThat(received).containsExactly("part 0");
            assertThat(origin.aeron().isClosed()).isFalse();
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void shouldExplainWhenNoExternalDriverRuns()
    {
        assertThatThrownBy(() -> EmbeddedAeron.acquire(temp.resolve("nobody-home"), true))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is the external driver running?");
    }
}
