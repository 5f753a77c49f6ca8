package io.bifrost.edge.http;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.cache.policy.LruPolicy;
import io.bifrost.edge.cache.ram.RamTier;
import io.bifrost.protocol.node.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RAM hits on plain keep-alive GETs are written with a head encoded once per object ({@link EncodedHitHead}); every
 * other hit (Connection: close, HEAD, Range, If-None-Match) goes through the HTTP codec. Both must put the same bytes
 * on the wire, and pipelined requests mixing the two must be answered in order.
 */
class EncodedRamHitTest
{
    private static final String PLAYLIST = "/vod/title1/720p/index.m3u8";
    private static final String BODY = "#EXTM3U\n#EXT-X-VERSION:7\n#EXTINF:4.000,\n0.m4s\n";

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void tearDown() throws Exception
    {
        for (int i = running.size() - 1; i >= 0; i--)
        {
            running.get(i).close();
        }
    }

    private EdgeHttpServer edgeWithPlaylist() throws Exception
    {
        final TestOrigin origin = new TestOrigin().put(PLAYLIST, BODY.getBytes(StandardCharsets.US_ASCII));
        running.add(origin);
        final RamTier ram = RamTier.open(dataDir.resolve("ram"), 1L << 20, 16 * 1024, 1L << 20, LruPolicy::new, registry);
        running.add(ram);
        final EdgeHttpServer edge = EdgeHttpServer.start(new EdgeNode.Context().origins(List.of(origin.uri()))
            .bindAddress("127.0.0.1").port(0).ioThreads(1).meterRegistry(registry), ram, Readiness::up);
        running.add(edge);
        assertThat(RawHttp.exchange(edge.port(), get("Connection: close\r\n"), 5000)).contains("fwd=miss");
        return edge;
    }

    private static String get(final String extraHeaders)
    {
        return "GET " + PLAYLIST + " HTTP/1.1\r\nHost: edge\r\n" + extraHeaders + "\r\n";
    }

    /** The age changes with the clock; everything else must match byte for byte. */
    private static String withoutAge(final String answer)
    {
        return answer.replaceAll("age: \\d+\r\n", "age: N\r\n");
    }

    @Test
    void shouldPutTheSameBytesOnTheWireAsTheCodecPathWhenAnsweringAKeepAliveHit() throws Exception
    {
        final EdgeHttpServer edge = edgeWithPlaylist();

        final String encoded = RawHttp.exchange(edge.port(), get(""), 1000);
        final String codec = RawHttp.exchange(edge.port(), get("Connection: close\r\n"), 5000);

        assertThat(withoutAge(encoded)).isEqualTo(withoutAge(codec));
        assertThat(encoded).startsWith("HTTP/1.1 200 OK\r\nCache-Status: bifrost; hit\r\n")
            .contains("content-type: video/iso.segment\r\n", "etag: \"v1-" + BODY.length() + "\"\r\n",
                "access-control-allow-origin: *\r\n", "accept-ranges: bytes\r\n",
                "content-length: " + BODY.length() + "\r\n")
            .endsWith("\r\n\r\n" + BODY);
        assertThat(registry.get("bifrost.edge.requests").tag("outcome", "hit").counter().count()).isEqualTo(2.0);
    }

    @Test
    void shouldAnswerPipelinedHitsInOrderWhenEncodedAndCodecAnswersMix() throws Exception
    {
        final EdgeHttpServer edge = edgeWithPlaylist();

        final String answers = RawHttp.exchange(edge.port(),
            get("") +
            "HEAD " + PLAYLIST + " HTTP/1.1\r\nHost: edge\r\n\r\n" +
            get("Range: bytes=0-6\r\n") +
            get("If-None-Match: \"v1-" + BODY.length() + "\"\r\n") +
            get("") +
            get("Connection: close\r\n"), 5000);

        final String[] heads = answers.split("HTTP/1\\.1 ", -1);
        assertThat(heads).hasSize(7);
        assertThat(heads[1]).startsWith("200 OK").endsWith("\r\n\r\n" + BODY);
        assertThat(heads[2]).startsWith("200 OK").endsWith("content-length: " + BODY.length() + "\r\n\r\n");
        assertThat(heads[3]).startsWith("206 Partial Content").endsWith("\r\n\r\n#EXTM3U");
        assertThat(heads[4]).startsWith("304 Not Modified");
        assertThat(withoutAge(heads[5])).isEqualTo(withoutAge(heads[1]));
        assertThat(withoutAge(heads[6])).isEqualTo(withoutAge(heads[1]));
    }
}
