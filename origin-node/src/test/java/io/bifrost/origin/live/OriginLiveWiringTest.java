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

    @Test
    void shouldKeepAnEndedSessionAsAVodTitleWhenRecording() throws Exception
    {
        origin = OriginNode.launch(new OriginNode.Context().bindAddress("127.0.0.1").port(0)
            .dataDir(temp.resolve("data")).ioThreads(1).blockingThreads(1).liveRecord(true).liveWindowSegments(3));
        final LiveSession session = origin.live().open("cam1", List.of(
            new LiveTrack("360p", TrackKind.VIDEO, 800_000, 320, 180, 30),
            new LiveTrack("audio", TrackKind.AUDIO, 96_000, 0, 0, 0)));
        LiveTestMedia.feedInterleaved(session, java.util.Map.of("360p", LiveTestMedia.video(temp, 10, 60),
            "audio", LiveTestMedia.audio(temp, 10)), new Random(5));
        session.end();
        final String videoId = LiveRecorder.videoId("cam1", session.epoch());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
            origin.catalog().find(videoId) != null &&
            origin.catalog().find(videoId).status() == io.bifrost.origin.catalog.VideoStatus.PUBLISHED);

        final String base = "http://127.0.0.1:" + origin.port() + "/vod/" + videoId;
        final HttpResponse<String> master = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(base + "/master.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(master.statusCode()).isEqualTo(200);
        assertThat(master.body()).contains("360p/index.m3u8", "GROUP-ID=\"audio\"");
        // the whole session, not only the 3-segment live window
        final String frames = io.bifrost.origin.TestClips.run(List.of(io.bifrost.origin.TestClips.FFPROBE.toString(),
            "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
            "-of", "csv=p=0", base + "/master.m3u8"));
        assertThat(frames.trim()).startsWith("300");
        assertThat(origin.catalog().find(videoId).durationSeconds()).isBetween(9.9, 10.1);
    }
}
