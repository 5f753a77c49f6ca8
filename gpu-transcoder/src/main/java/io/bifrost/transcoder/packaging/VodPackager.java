package io.bifrost.transcoder.packaging;

import io.bifrost.transcoder.encode.TranscodeCommand;
import io.bifrost.transcoder.ladder.AudioRendition;
import io.bifrost.transcoder.ladder.LadderPlan;
import io.bifrost.transcoder.ladder.VideoRendition;
import io.bifrost.transcoder.protection.CencEncryptor;
import io.bifrost.transcoder.protection.ContentProtection;
import io.bifrost.transcoder.protection.HlsSegmentEncryptor;
import io.bifrost.transcoder.protection.TitleProtection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an encoded ladder on disk into a published VOD title: reads each rendition's media playlist and segment
 * sizes, derives codec strings from the init segments, and writes {@code master.m3u8} and {@code manifest.mpd}
 * beside the rendition folders (the layout of {@code /vod/{videoId}/}). A protected title is encrypted first (so
 * bandwidths are measured on what is served): AES-128 titles get encrypted HLS and no MPD, ClearKey titles get CENC
 * segments and an MPD with {@code ContentProtection}, and their master playlist is kept only as the catalog's list of
 * renditions (see {@link ContentProtection}). Stateless.
 */
public final class VodPackager
{
    /** HLS multivariant playlist name. */
    public static final String MASTER_PLAYLIST = "master.m3u8";
    /** DASH manifest name. */
    public static final String DASH_MANIFEST = "manifest.mpd";

    private VodPackager()
    {
    }

    /**
     * @param plan      the ladder that was encoded.
     * @param outputDir the folder holding one sub-folder per rendition.
     * @return the packaged title.
     * @throws IOException              when a file cannot be read or written.
     * @throws IllegalArgumentException when a playlist or init segment is malformed.
     */
    public static PackagedTitle packageTitle(final LadderPlan plan, final Path outputDir) throws IOException
    {
        return packageTitle(plan, outputDir, TitleProtection.NONE);
    }

    /**
     * @param plan       the ladder that was encoded.
     * @param outputDir  the folder holding one sub-folder per rendition.
     * @param protection how the title is protected ({@link TitleProtection#NONE} for clear).
     * @return the packaged title.
     * @throws IOException              when a file cannot be read or written.
     * @throws IllegalArgumentException when a playlist or init segment is malformed.
     */
    public static PackagedTitle packageTitle(final LadderPlan plan, final Path outputDir,
        final TitleProtection protection) throws IOException
    {
        // codec strings come from the clear init segments: a protected one names encv/enca
        final Map<String, String> codecs = new HashMap<>();
        for (final VideoRendition rendition : plan.video())
        {
            codecs.put(rendition.name(), CodecStringReader.videoCodecString(
                Files.readAllBytes(outputDir.resolve(rendition.name()).resolve(TranscodeCommand.INIT_SEGMENT))));
        }
        encrypt(plan, outputDir, protection);
        final List<PackagedAudio> audio = new ArrayList<>();
        for (final AudioRendition rendition : plan.audio())
        {
            final List<MediaSegment> segments = measuredSegments(outputDir.resolve(rendition.name()));
            audio.add(new PackagedAudio(rendition.name(), rendition.codec().groupId(),
                rendition.codec().codecsAttribute(), rendition.sampleRateHz(), rendition.channels(),
                Bandwidth.of(segments), segments));
        }
        final List<PackagedVideo> video = new ArrayList<>();
        for (final VideoRendition rendition : plan.video())
        {
            final Path folder = outputDir.resolve(rendition.name());
            final List<MediaSegment> segments = measuredSegments(folder);
            final AudioRendition pairedAudio = plan.audioFor(rendition.codec().audio());
            video.add(new PackagedVideo(rendition.name(), codecs.get(rendition.name()), rendition.width(), rendition.height(),
                rendition.frameRate(), Bandwidth.of(segments), segments,
                pairedAudio == null ? null : pairedAudio.codec().groupId()));
        }
        final PackagedTitle title = new PackagedTitle(video, audio, plan.source().durationSeconds(),
            plan.segmentSeconds());
        Files.writeString(outputDir.resolve(MASTER_PLAYLIST),
            MasterPlaylistWriter.write(video, audio, TranscodeCommand.MEDIA_PLAYLIST), StandardCharsets.UTF_8);
        if (protection.scheme().hasDash())
        {
            Files.writeString(outputDir.resolve(DASH_MANIFEST), DashManifestWriter.write(video, audio,
                plan.source().durationSeconds(), plan.segmentSeconds(), TranscodeCommand.INIT_SEGMENT,
                TranscodeCommand.FIRST_SEGMENT_NUMBER, protection), StandardCharsets.UTF_8);
        }
        return title;
    }

    private static void encrypt(final LadderPlan plan, final Path outputDir, final TitleProtection protection)
        throws IOException
    {
        if (protection.scheme() == ContentProtection.NONE)
        {
            return;
        }
        final List<String> renditions = new ArrayList<>();
        plan.video().forEach(rendition -> renditions.add(rendition.name()));
        plan.audio().forEach(rendition -> renditions.add(rendition.name()));
        for (final String rendition : renditions)
        {
            final Path folder = outputDir.resolve(rendition);
            if (protection.scheme() == ContentProtection.AES_128)
            {
                HlsSegmentEncryptor.encryptRendition(folder, TranscodeCommand.MEDIA_PLAYLIST, protection.key(),
                    protection.keyUri());
            }
            else
            {
                CencEncryptor.encryptRendition(folder, TranscodeCommand.MEDIA_PLAYLIST,
                    TranscodeCommand.INIT_SEGMENT, protection.key());
            }
        }
    }

    private static List<MediaSegment> measuredSegments(final Path folder) throws IOException
    {
        final List<MediaSegment> listed = MediaPlaylistParser.parse(
            Files.readString(folder.resolve(TranscodeCommand.MEDIA_PLAYLIST), StandardCharsets.UTF_8));
        final List<MediaSegment> measured = new ArrayList<>(listed.size());
        for (int i = 0; i < listed.size(); i++)
        {
            final MediaSegment segment = listed.get(i);
            final String expected = (TranscodeCommand.FIRST_SEGMENT_NUMBER + i) + ".m4s";
            if (!expected.equals(segment.uri()))
            {
                throw new IllegalArgumentException(folder.getFileName() + "/" + TranscodeCommand.MEDIA_PLAYLIST +
                    " lists " + segment.uri() + " where " + expected + " was expected");
            }
            measured.add(new MediaSegment(segment.uri(), segment.durationSeconds(),
                Files.size(folder.resolve(segment.uri()))));
        }
        return measured;
    }
}
