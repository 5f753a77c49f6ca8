package io.bifrost.origin.live;

import io.bifrost.origin.OriginNode;
import io.bifrost.origin.RunningOrigin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A launched origin packages live streams opened on {@link RunningOrigin#live()} with its context's live settings and
 * serves them under {@code /live/} on its HTTP port, with the live meters in its registry.
 */
class OriginLiveWiringTest
{
    @TempDir
    Path temp;

    private RunningOrigin origin;

    @AfterEach
    void stop()
    {
        if (origin != null)
        {
            origin.close();
        }
    }

    @Test
    void shouldServeALiveStreamOpenedOnTheRunningOrigin() throws Exception
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(temp.resolve("data")).ioThreads(1).blockingThreads(1).meterRegistry(registry)
            .liveSegmentTargetMs(1000).liveWindowSegments(3));
        final LiveSession session = origin.live().open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30)));
        LiveTestMedia.feed(session.track("360p"), LiveTestMedia.video(temp, 6, 30), new Random(3));

        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" +
            origin.port() + "/live/cam1/360p/index.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.body()).contains("#EXT-X-TARGETDURATION:1\n", "#EXT-X-MEDIA-SEQUENCE:3\n",
            session.epoch() + "-5.m4s\n");
        assertThat(registry.get("bifrost.live.segments").counter().count()).isEqualTo(6);
        assertThat(registry.get("bifrost.live.requests").tag("outcome", "served").counter().count()).isEqualTo(1);
    }
}
