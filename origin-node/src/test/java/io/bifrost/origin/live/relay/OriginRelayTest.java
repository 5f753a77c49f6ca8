package io.bifrost.origin.live.relay;

import io.bifrost.ingest.relay.OriginRelayContext;
import io.bifrost.ingest.relay.OriginRelaySinkFactory;
import io.bifrost.ingest.rtmp.RtmpServer;
import io.bifrost.ingest.sink.StreamAuthorization;
import io.bifrost.ingest.sink.StreamKeyAuthorizer;
import io.bifrost.origin.TestClips;
import io.bifrost.origin.live.ingest.FlvSource;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest on host A, origin on host B, on loopback: the real RTMP server relays what the real ffmpeg publishes to an
 * in-process origin over the relay (its own port), whose live packager makes parts, segments and playlists.
 */
class OriginRelayTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Pattern PART = Pattern.compile("URI=\"(\\d+)-(\\d+)\\.(\\d+)\\.m4s\"");
    private static final Pattern PDT = Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:(\\S+)");

    @TempDir
    Path work;
    private OriginRelaySinkFactory relay;
    private RtmpServer rtmp;
    private RelayOrigin origin;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(rtmp, relay, origin);
    }

    @Test
    void shouldPackageAStreamPublishedOnAnotherIngestHost() throws Exception
    {
        final Path source = FlvSource.generateFile(work, "320x240", 3, true);
        origin = new RelayOrigin(work.resolve("b"), 0);
        startIngest(origin.relayUrl(), RelayOrigin.SECRET);
        final String streamId = StreamAuthorization.derivedStreamId("relay-key");
        final String playlistPath = "/live/" + streamId + "/source/index.m3u8";

        final long publishedAtMs = System.currentTimeMillis();
        final CompletableFuture<TestClips.Result> publish = publish(source, "relay-key");
        await().atMost(DEADLINE).until(() -> contains(origin.get(playlistPath), "#EXT-X-PART:"));
        final String live = origin.get(playlistPath);
        assertThat(live).contains("#EXT-X-PRELOAD-HINT:", "#EXT-X-SERVER-CONTROL:");
        final Matcher part = PART.matcher(live);
        assertThat(part.find()).isTrue();
        assertThat(origin.get("/live/" + streamId + "/source/" + part.group(1) + "-" + part.group(2) + "." +
            part.group(3) + ".m4s")).isNotEmpty();
        assertThat(origin.get("/live/" + streamId + "/master.m3u8")).contains("source/index.m3u8");

        assertThat(publish.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).exitCode()).isZero();
        await().atMost(DEADLINE).until(() -> contains(origin.get(playlistPath), "#EXT-X-ENDLIST"));
        final Matcher pdt = PDT.matcher(origin.get(playlistPath));
        assertThat(pdt.find()).isTrue();
        assertThat(Instant.parse(pdt.group(1)).toEpochMilli()).as("PDT is the capture at the ingest")
            .isBetween(publishedAtMs, System.currentTimeMillis());
        await().atMost(DEADLINE).until(() -> 1 == origin.receiver.metrics().completed());
        assertThat(relay.metrics().connects()).isOne();
        assertThat(relay.metrics().dropped()).isZero();
    }

    @Test
    void shouldStartANewEpochWhenTheOriginRestartsMidStreamAndKeepThePublisher() throws Exception
    {
        final Path source = FlvSource.generateFile(work, "320x240", 9, true);
        origin = new RelayOrigin(work.resolve("b"), 0);
        final int relayPort = origin.receiver.port();
        startIngest(origin.relayUrl(), RelayOrigin.SECRET);
        final String streamId = StreamAuthorization.derivedStreamId("restart-key");
        final String playlistPath = "/live/" + streamId + "/source/index.m3u8";

        final CompletableFuture<TestClips.Result> publish = publish(source, "restart-key");
        await().atMost(DEADLINE).until(() -> contains(origin.get(playlistPath), "#EXT-X-PART:"));
        final long firstEpoch = epochOf(origin.get(playlistPath));

        origin.close();
        origin = new RelayOrigin(work.resolve("b2"), relayPort);
        await().atMost(DEADLINE).until(() -> contains(origin.get(playlistPath), "#EXT-X-PART:"));
        assertThat(epochOf(origin.get(playlistPath))).isGreaterThan(firstEpoch);

        assertThat(publish.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).exitCode()).as("the publisher survived")
            .isZero();
        await().atMost(DEADLINE).until(() -> contains(origin.get(playlistPath), "#EXT-X-ENDLIST"));
        assertThat(relay.metrics().disconnects()).isOne();
        assertThat(relay.metrics().connects()).isEqualTo(2);
        assertThat(relay.metrics().gaveUp()).isZero();
    }

    private void startIngest(final java.net.URI originUrl, final String secret)
    {
        relay = new OriginRelaySinkFactory(new OriginRelayContext().originUrl(originUrl).secret(secret));
        rtmp = RtmpServer.start(new RtmpServer.Context().bindAddress("127.0.0.1").port(0)
            .authorizer(StreamKeyAuthorizer.allowAll()).sinkFactory(relay));
    }

    private CompletableFuture<TestClips.Result> publish(final Path source, final String key)
    {
        return CompletableFuture.supplyAsync(() -> TestClips.tryRun(List.of(TestClips.FFMPEG.toString(), "-nostdin",
            "-v", "error", "-re", "-i", source.toString(), "-c", "copy", "-f", "flv",
            "rtmp://127.0.0.1:" + rtmp.port() + "/live/" + key)));
    }

    private static boolean contains(final String body, final String text)
    {
        return null != body && body.contains(text);
    }

    private static long epochOf(final String playlist)
    {
        final Matcher part = PART.matcher(playlist);
        assertThat(part.find()).isTrue();
        return Long.parseLong(part.group(1));
    }
}
