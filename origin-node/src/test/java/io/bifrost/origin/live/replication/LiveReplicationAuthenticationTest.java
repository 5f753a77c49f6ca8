package io.bifrost.origin.live.replication;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.MessageFrame;
import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SequencedAuthenticator;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The origin signs live replication with its fleet keys: every part and window update carries the
 * {@link SequencedAuthenticator} block an edge with the same keys accepts once, and the largest part still fits one
 * Aeron message with it ({@link AeronChannels#MAX_LIVE_PART_BYTES} leaves the room), one byte more does not.
 */
class LiveReplicationAuthenticationTest
{
    private static final FleetKeys FLEET = FleetKeys.parse(
        "live1:" + Base64.getUrlEncoder().encodeToString("thirty-two bytes of fleet secret".getBytes()), "test");
    private static final String LONGEST_STREAM = "s".repeat(AeronChannels.MAX_STREAM_ID_LENGTH);
    private static final String LONGEST_RENDITION = "r".repeat(AeronChannels.MAX_RENDITION_LENGTH);

    @RegisterExtension
    final IpcReplicationDriver driver = new IpcReplicationDriver();

    @Test
    void shouldSignEveryMessageSoAnEdgeWithTheKeysAcceptsItOnceAndFitTheLargestPart()
    {
        try (LiveReplicationPublisher publisher = new LiveReplicationPublisher(driver.aeron().addPublication(
            AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, AeronChannels.LIVE_STREAM_ID),
            LiveReplicationPublisher.DEFAULT_MAX_RETRY_NANOS, driver.registry(), FLEET);
            Subscription subscription = driver.subscribe())
        {
            driver.awaitConnected(publisher);

            publisher.onPart(part(AeronChannels.MAX_LIVE_PART_BYTES));
            publisher.onPart(part(AeronChannels.MAX_LIVE_PART_BYTES + 1));
            publisher.onWindow(new LiveWindowEvent("cam1", "720p", WindowKind.HLS_MEDIA_PLAYLIST, 3, 40, 42, 1,
                1_699_999_996_000L, -1, 2000, 333, "#EXTM3U\n"));

            final SequencedAuthenticator edge = new SequencedAuthenticator(FLEET);
            final MessageFrame frame = new MessageFrame(LivePartDecoder.TEMPLATE_ID, WindowUpdateDecoder.TEMPLATE_ID);
            final List<String> seen = new ArrayList<>();
            final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
            {
                final SequencedAuthenticator.Verdict first = edge.verify(buffer, offset, length,
                    System.currentTimeMillis());
                final int messageLength = edge.messageLength();
                final SequencedAuthenticator.Verdict again = edge.verify(buffer, offset, length,
                    System.currentTimeMillis());
                final MessageFrame.Verdict unkeyed = frame.wrap(buffer, offset, length); // an edge without keys
                seen.add(first + "/" + again + " " + frame.wrap(buffer, offset, messageLength) + " template=" +
                    frame.templateId() + " +" + (length - messageLength) + " unkeyed=" + unkeyed);
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                while (subscription.poll(assembler, 256) > 0)
                {
                    // a 2 MiB part is about 1,500 fragments: drain what is there before checking
                }
                return seen.size() == 2;
            });

            final int overhead = SequencedAuthenticator.OVERHEAD;
            assertThat(seen).containsExactly(
                "ACCEPTED/REPLAYED VALID template=" + LivePartDecoder.TEMPLATE_ID + " +" + overhead + " unkeyed=VALID",
                "ACCEPTED/REPLAYED VALID template=" + WindowUpdateDecoder.TEMPLATE_ID + " +" + overhead + " unkeyed=VALID");
            assertThat(publisher.dropped(LiveReplicationPublisher.DropReason.TOO_LARGE)).isEqualTo(1);
            assertThat(driver.registry().get("bifrost.origin.live.replication.messages").tag("kind", "part").counter()
                .count()).isEqualTo(1);
        }
    }

    @Test
    void shouldNotSignOverIpcWhereEveryRoleSharesTheProcess()
    {
        try (LiveReplicationPublisher publisher = LiveReplicationPublisher.open(
            driver.aeron(), AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, driver.registry(), FLEET);
            Subscription subscription = driver.subscribe())
        {
            driver.awaitConnected(publisher);
            publisher.onPart(part(1000));

            final MessageFrame frame = new MessageFrame(LivePartDecoder.TEMPLATE_ID);
            final LivePartDecoder decoder = new LivePartDecoder();
            final List<Integer> trailing = new ArrayList<>();
            final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
            {
                assertThat(frame.wrap(buffer, offset, length)).isEqualTo(MessageFrame.Verdict.VALID);
                decoder.wrap(frame.view(), frame.bodyOffset(), frame.blockLength(), frame.version());
                decoder.skipStreamId();
                decoder.skipRendition();
                decoder.skipPayload();
                trailing.add(length - decoder.limit());
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                subscription.poll(assembler, 10);
                return trailing.size() == 1;
            });

            assertThat(trailing).as("bytes after the SBE message").containsExactly(0);
        }
    }

    private static LivePartEvent part(final int payloadBytes)
    {
        return new LivePartEvent(LONGEST_STREAM, LONGEST_RENDITION, 3, 42, 0, 1_700_000_000_000L, 333_333, true, false,
            false, ByteBuffer.allocate(payloadBytes));
    }
}
