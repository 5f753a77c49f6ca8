package io.bifrost.origin.live;

import io.bifrost.origin.OriginNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The origin's slow-viewer bound for low-latency DASH segments streamed part by part
 * ({@code origin.live-chunked-max-queued-bytes}) is validated with the key's name and defaults to the responder's.
 */
class OriginLiveChunkedSettingTest
{
    @Test
    void shouldDefaultToTheRespondersBound()
    {
        assertThat(new OriginNode.Context().conclude().liveChunkedMaxQueuedBytes())
            .isEqualTo(LiveResponder.DEFAULT_CHUNKED_MAX_QUEUED_BYTES);
    }

    @Test
    void shouldAcceptABoundInsideTheRange()
    {
        assertThat(new OriginNode.Context().liveChunkedMaxQueuedBytes(65_536).conclude().liveChunkedMaxQueuedBytes())
            .isEqualTo(65_536);
    }

    @Test
    void shouldRejectABoundSmallerThanAPartWithTheKeyName()
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new OriginNode.Context().liveChunkedMaxQueuedBytes(1000).conclude())
            .withMessageContaining("origin.live-chunked-max-queued-bytes")
            .withMessageContaining("1000");
    }

    @Test
    void shouldRejectABoundAboveOneGibibyte()
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new OriginNode.Context().liveChunkedMaxQueuedBytes((1L << 30) + 1).conclude())
            .withMessageContaining("origin.live-chunked-max-queued-bytes");
    }
}
