package io.bifrost.origin.live.ingest;

import io.bifrost.origin.live.LiveListener;
import io.bifrost.origin.live.LivePackager;
import io.bifrost.origin.live.LivePartEvent;
import io.bifrost.origin.live.LiveWindowEvent;
import io.bifrost.protocol.sbe.WindowKind;
import io.bifrost.transcoder.ladder.LadderRung;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Both producers into the real {@link LivePackager}: what the packager makes of their CMAF (parts, independent parts
 * on segment starts, 2 s segments, the final playlist) as its listeners see it.
 */
class LivePackagerProducersTest
{
    @TempDir
    static Path media;
    private static FlvSource source;

    @TempDir
    Path work;
    private final List<LivePartEvent> parts = new CopyOnWriteArrayList<>();
    private final List<LiveWindowEvent> windows = new CopyOnWriteArrayList<>();
    private LiveIngestSinkFactory factory;

    @BeforeAll
    static void makeSource() throws Exception
    {
        source = FlvSource.generate(media, "640x360", 6, true);
    }

    @AfterEach
    void close()
    {
        if (null != factory)
        {
            factory.close();
        }
    }

    private LivePackager packager()
    {
        final LivePackager packager = new LivePackager(new LivePackager.Context()
            .meterRegistry(new SimpleMeterRegistry()));
        packager.addListener(new LiveListener()
        {
            @Override
            public void onPart(final LivePartEvent part)
            {
                parts.add(new LivePartEvent(part.streamId(), part.rendition(), part.epoch(), part.msn(),
                    part.partIndex(), part.programDateTimeMs(), part.durationMicros(), part.independent(),
                    part.segmentEnd(), part.discontinuity(), null));
            }

            @Override
            public void onWindow(final LiveWindowEvent window)
            {
                windows.add(window);
            }
        });
        return packager;
    }

    @Test
    void shouldGiveThePackagerIndependentPartsOnTwoSecondSegmentsFromPassthrough() throws Exception
    {
        factory = new LiveIngestSinkFactory(new LiveIngestContext().liveStreams(packager())
            .defaultMode(LiveMode.PASSTHROUGH).workDir(work));
        source.publish(factory, FlvSource.request("packaged-passthrough", false));
        awaitEnd();
        assertSegmentsOfIndependentParts("source");
        assertThat(parts).filteredOn(part -> "audio".equals(part.rendition())).hasSizeGreaterThan(12);
    }

    @Test
    void shouldGiveThePackagerIndependentPartsOnTwoSecondSegmentsFromTheTranscoder() throws Exception
    {
        factory = new LiveIngestSinkFactory(new LiveIngestContext().liveStreams(packager())
            .rungs(List.of(LadderRung.P240, LadderRung.P360)).workDir(work));
        source.publish(factory, FlvSource.request("packaged-transcode", false));
        awaitEnd();
        assertSegmentsOfIndependentParts("240p");
        assertSegmentsOfIndependentParts("360p");
        assertThat(parts).filteredOn(part -> "audio".equals(part.rendition())).hasSizeGreaterThan(12);
    }

    private void awaitEnd()
    {
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> windows.stream()
            .anyMatch(window -> WindowKind.END_OF_STREAM == window.kind()));
        await().atMost(FlvSource.STREAM_DEADLINE).until(() -> 0 == factory.metrics().active());
    }

    private void assertSegmentsOfIndependentParts(final String rendition)
    {
        final Map<Long, List<LivePartEvent>> segments = new TreeMap<>();
        for (final LivePartEvent part : parts)
        {
            if (rendition.equals(part.rendition()))
            {
                segments.computeIfAbsent(part.msn(), msn -> new CopyOnWriteArrayList<>()).add(part);
            }
        }
        assertThat(segments).as(rendition).hasSizeBetween(3, 4);
        final List<List<LivePartEvent>> complete = List.copyOf(segments.values()).subList(0, 3);
        for (final List<LivePartEvent> segment : complete)
        {
            assertThat(segment.get(0).independent()).as(rendition + " segment start").isTrue();
            assertThat(segment.get(0).partIndex()).isZero();
            assertThat(segment).as(rendition).hasSize(6).allSatisfy(part ->
                assertThat(part.durationMicros()).isBetween(300_000, 340_000));
            assertThat(segment.stream().mapToLong(LivePartEvent::durationMicros).sum()).as(rendition)
                .isBetween(1_980_000L, 2_020_000L);
        }
        final String playlist = windows.stream()
            .filter(window -> rendition.equals(window.rendition()) && WindowKind.HLS_MEDIA_PLAYLIST == window.kind())
            .reduce((first, second) -> second).orElseThrow().body();
        assertThat(playlist).contains("#EXT-X-PART-INF:PART-TARGET=").contains("INDEPENDENT=YES")
            .contains("#EXT-X-ENDLIST");
    }
}
