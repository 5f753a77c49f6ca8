package io.bifrost.origin.live.replication;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.bifrost.origin.OriginNode;
import io.bifrost.origin.RunningOrigin;
import io.bifrost.origin.live.LiveSession;
import io.bifrost.origin.live.LiveTrack;
import io.bifrost.origin.live.TrackKind;
import io.bifrost.protocol.aeron.AeronChannels;
import io.bifrost.protocol.aeron.EmbeddedAeron;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real packager publishing through the real publisher, as an edge sees it on the wire: ffmpeg's fragmented MP4
 * goes into a live session of a launched origin (replication on UDP loopback, dynamic multi-destination-cast), and a
 * separate media driver (the "edge process") receives every part before the playlist that announces it, with the
 * same bytes the origin serves over HTTP.
 */
class OriginToEdgeStreamTest
{
    @TempDir
    Path dir;

    @Test
    void shouldSendEveryPartBeforeThePlaylistThatAnnouncesItWithTheBytesTheOriginServes() throws Exception
    {
        final Path video = dir.resolve("video.mp4");
        final Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
            "testsrc2=size=320x180:rate=30", "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-tune",
            "zerolatency", "-pix_fmt", "yuv420p", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-f", "mp4",
            "-movflags", "+frag_keyframe+empty_moov+default_base_moof+cmaf", "-frag_duration", "333333", video.toString())
            .redirectErrorStream(true).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(new String(ffmpeg.getInputStream().readAllBytes())).isZero();
        final int controlPort;
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            controlPort = socket.getLocalPort();
        }

        final Map<String, byte[]> parts = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        final List<String> playlists = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final LivePartDecoder part = new LivePartDecoder();
        final WindowUpdateDecoder window = new WindowUpdateDecoder();
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, h) ->
        {
            header.wrap(buffer, offset);
            if (header.templateId() == LivePartDecoder.TEMPLATE_ID)
            {
                part.wrapAndApplyHeader(buffer, offset, header);
                final String name = part.epoch() + "-" + part.msn() + "." + part.partIndex();
                part.skipStreamId();
                part.skipRendition();
                final byte[] bytes = new byte[part.payloadLength()];
                part.getPayload(bytes, 0, bytes.length);
                parts.put(name, bytes);
            }
            else if (header.templateId() == WindowUpdateDecoder.TEMPLATE_ID)
            {
                window.wrapAndApplyHeader(buffer, offset, header);
                if (window.kind() == WindowKind.HLS_MEDIA_PLAYLIST && window.lastPartIndex() >= 0)
                {
                    final String newest = window.epoch() + "-" + (window.lastCompleteMsn() + 1) + "." +
                        window.lastPartIndex();
                    if (!parts.containsKey(newest))
                    {
                        violations.add("playlist announces " + newest + " before the part");
                    }
                    playlists.add(newest);
                }
            }
        });

        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RunningOrigin origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
                .dataDir(dir.resolve("origin")).ioThreads(1).blockingThreads(1).meterRegistry(registry)
                .liveReplication(new LiveReplicationSettings(AeronChannels.livePublicationChannel("localhost", controlPort),
                    dir.resolve("origin-aeron"), false)));
            EmbeddedAeron edge = EmbeddedAeron.acquire(dir.resolve("edge-aeron"), false);
            Subscription subscription = edge.aeron().addSubscription(
                AeronChannels.liveSubscriptionChannel("localhost", 0, "localhost", controlPort), AeronChannels.LIVE_STREAM_ID))
        {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                registry.get("bifrost.origin.live.replication.connected").gauge().value() == 1);
            final LiveSession session = origin.live().open("cam1", List.of(
                new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
            final byte[] bytes = Files.readAllBytes(video);
            for (int pos = 0; pos < bytes.length; pos += 4096)
            {
                session.track("360p").accept(ByteBuffer.wrap(bytes, pos, Math.min(4096, bytes.length - pos)));
                subscription.poll(assembler, 100);
            }
            final double sent = registry.get("bifrost.origin.live.replication.messages").tag("kind", "part")
                .counter().count();
            await().atMost(Duration.ofSeconds(20)).until(() ->
            {
                subscription.poll(assembler, 100);
                return parts.size() == (int)sent;
            });

            assertThat(sent).isGreaterThan(5);
            assertThat(violations).isEmpty();
            assertThat(playlists).isNotEmpty();
            final String newest = playlists.get(playlists.size() - 1);
            final HttpResponse<byte[]> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + origin.port() + "/live/cam1/360p/" + newest + ".m4s")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(parts.get(newest)).isEqualTo(served.body());
            assertThat(registry.get("bifrost.origin.live.replication.dropped").tag("reason", "back_pressured")
                .counter().count()).isZero();
        }
    }
}
