package io.bifrost.origin.live.replication;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LiveReplicationPublisherTest
{
    @RegisterExtension
    final IpcReplicationDriver driver = new IpcReplicationDriver();

    @Test
    void shouldPublishPartsAndWindowUpdatesInOrderWithEveryField()
    {
        try (LiveReplicationPublisher publisher = LiveReplicationPublisher.open(
            driver.aeron(), AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, driver.registry());
            Subscription subscription = driver.subscribe())
        {
            driver.awaitConnected(publisher);
            final byte[] big = new byte[1 << 20];
            new Random(7).nextBytes(big);

            publisher.onPart(new LivePartEvent("cam1", "720p", 3, 42, 0, 1_700_000_000_000L, 333_333, true, false,
                false, ByteBuffer.wrap(big).asReadOnlyBuffer()));
            final ByteBuffer direct = ByteBuffer.allocateDirect(100);
            direct.put(new byte[] {9, 8, 7, 6}).flip();
            publisher.onPart(new LivePartEvent("cam1", "720p", 3, 42, 1, 1_700_000_000_333L, 333_334, false, true,
                false, direct));
            publisher.onWindow(new LiveWindowEvent("cam1", "720p", WindowKind.HLS_MEDIA_PLAYLIST, 3, 40, 42, 1,
                1_699_999_996_000L, -1, 2000, 333, "#EXTM3U\n#EXT-X-VERSION:9\n"));
            publisher.onWindow(new LiveWindowEvent("cam1", "", WindowKind.DASH_MPD, 3, 40, 42, 1, -1, -1, 2000, 333,
                "<MPD>\u00e9</MPD>"));

            final List<String> seen = new ArrayList<>();
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            final LivePartDecoder part = new LivePartDecoder();
            final WindowUpdateDecoder window = new WindowUpdateDecoder();
            final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, h) ->
            {
                header.wrap(buffer, offset);
                if (header.templateId() == LivePartDecoder.TEMPLATE_ID)
                {
                    part.wrapAndApplyHeader(buffer, offset, header);
                    final boolean independent = part.flags().independent();
                    final boolean segmentEnd = part.flags().segmentEnd();
                    final String line = part.epoch() + "-" + part.msn() + "." + part.partIndex() + " pdt=" +
                        part.programDateTimeMs() + " d=" + part.durationMicros() + " i=" + independent + " e=" +
                        segmentEnd + " " + part.streamId() + "/" + part.rendition();
                    final byte[] payload = new byte[part.payloadLength()];
                    part.getPayload(payload, 0, payload.length);
                    seen.add(line + " bytes=" + (payload.length == big.length ?
                        (java.util.Arrays.equals(payload, big) ? "big" : "corrupt") : java.util.Arrays.toString(payload)));
                }
                else
                {
                    window.wrapAndApplyHeader(buffer, offset, header);
                    final String line = window.kind() + " " + window.epoch() + " " + window.firstMsn() + ".." +
                        window.lastCompleteMsn() + "/" + window.lastPartIndex() + " ds=" + window.discontinuitySequence() +
                        " pdt=" + window.firstProgramDateTimeMs() + " td=" + window.targetDurationMs() + " pt=" +
                        window.partTargetMs() + " " + window.streamId() + "/" + window.rendition();
                    final byte[] body = new byte[window.bodyLength()];
                    window.getBody(body, 0, body.length);
                    seen.add(line + " " + new String(body, StandardCharsets.UTF_8));
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                subscription.poll(assembler, 10);
                return seen.size() == 4;
            });

            assertThat(seen).containsExactly(
                "3-42.0 pdt=1700000000000 d=333333 i=true e=false cam1/720p bytes=big",
                "3-42.1 pdt=1700000000333 d=333334 i=false e=true cam1/720p bytes=[9, 8, 7, 6]",
                "HLS_MEDIA_PLAYLIST 3 40..42/-1 ds=1 pdt=1699999996000 td=2000 pt=333 cam1/720p #EXTM3U\n#EXT-X-VERSION:9\n",
                "DASH_MPD 3 40..42/-1 ds=1 pdt=-1 td=2000 pt=333 cam1/ <MPD>\u00e9</MPD>");
            assertThat(driver.registry().get("bifrost.origin.live.replication.messages").tag("kind", "part").counter()
                .count()).isEqualTo(2);
            assertThat(driver.registry().get("bifrost.origin.live.replication.messages").tag("kind", "window").counter()
                .count()).isEqualTo(2);
        }
    }

    @Test
    void shouldDropAndCountWithoutBlockingWhenNoEdgeIsConnected()
    {
        try (LiveReplicationPublisher publisher = LiveReplicationPublisher.open(
            driver.aeron(), AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, driver.registry()))
        {
            for (int i = 0; i < 100; i++)
            {
                publisher.onPart(new LivePartEvent("cam1", "720p", 1, i, 0, 0, 1000, true, true, false,
                    ByteBuffer.wrap(new byte[1000])));
            }

            assertThat(publisher.dropped(LiveReplicationPublisher.DropReason.NOT_CONNECTED)).isEqualTo(100);
            assertThat(driver.registry().get("bifrost.origin.live.replication.connected").gauge().value()).isZero();
        }
    }

    @Test
    void shouldDropAndCountAPartTooLargeForOneMessage()
    {
        try (LiveReplicationPublisher publisher = LiveReplicationPublisher.open(
            driver.aeron(), AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL, driver.registry());
            Subscription ignored = driver.subscribe())
        {
            driver.awaitConnected(publisher);

            publisher.onPart(new LivePartEvent("cam1", "720p", 1, 0, 0, 0, 1000, true, true, false,
                ByteBuffer.allocate(AeronChannels.MAX_LIVE_MESSAGE_BYTES)));

            assertThat(publisher.dropped(LiveReplicationPublisher.DropReason.TOO_LARGE)).isEqualTo(1);
        }
    }

    @Test
    void shouldDropAfterBoundedRetryWhenTheEdgeDoesNotKeepUp()
    {
        try (LiveReplicationPublisher publisher = LiveReplicationPublisher.open(
            driver.aeron(), AeronChannels.ipcPublicationChannel(64 * 1024), driver.registry());
            Subscription ignored = driver.subscribe())
        {
            driver.awaitConnected(publisher);

            // A subscriber that never polls: the 64 KiB term fills and the publication back-pressures.
            for (int i = 0; i < 200; i++)
            {
                publisher.onPart(new LivePartEvent("cam1", "720p", 1, i, 0, 0, 1000, true, true, false,
                    ByteBuffer.wrap(new byte[4000])));
            }

            assertThat(publisher.dropped(LiveReplicationPublisher.DropReason.BACK_PRESSURED)).isPositive();
            assertThat(driver.registry().get("bifrost.origin.live.replication.messages").tag("kind", "part").counter()
                .count()).isPositive();
        }
    }
}
