package io.bifrost.transcoder.packaging;

import io.bifrost.transcoder.probe.FrameRate;

import java.util.List;

/** Small packaged titles for the writer tests. */
final class Fixtures
{
    static final List<MediaSegment> VIDEO_SEGMENTS = List.of(new MediaSegment("0.m4s", 4.0, 250_000),
        new MediaSegment("1.m4s", 4.0, 200_000), new MediaSegment("2.m4s", 2.04, 100_000));
    static final List<MediaSegment> AUDIO_SEGMENTS = List.of(new MediaSegment("0.m4s", 4.010667, 64_000),
        new MediaSegment("1.m4s", 3.989333, 64_000), new MediaSegment("2.m4s", 2.04, 32_000));

    static final PackagedAudio AAC = new PackagedAudio("audio", "audio-aac", "mp4a.40.2", 48_000, 2,
        new Bandwidth(130_000, 128_000), AUDIO_SEGMENTS);
    static final PackagedVideo LOW = new PackagedVideo("240p", "avc1.64000d", 426, 240, FrameRate.of(25),
        new Bandwidth(500_000, 450_000), VIDEO_SEGMENTS, "audio-aac");
    static final PackagedVideo HIGH = new PackagedVideo("360p", "avc1.64001e", 640, 360, new FrameRate(30000, 1001),
        new Bandwidth(1_000_000, 900_000), VIDEO_SEGMENTS, "audio-aac");

    private Fixtures()
    {
    }
}
