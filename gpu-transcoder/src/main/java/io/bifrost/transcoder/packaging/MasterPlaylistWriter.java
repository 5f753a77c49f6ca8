package io.bifrost.transcoder.packaging;

import java.util.List;
import java.util.Locale;

/**
 * Writes the HLS multivariant ("master") playlist of a VOD title (RFC 8216bis): version 7 (fMP4 media), independent
 * segments, one {@code EXT-X-MEDIA} per audio rendition and one {@code EXT-X-STREAM-INF} per video rendition with
 * measured {@code BANDWIDTH} (peak) and {@code AVERAGE-BANDWIDTH}, both including the audio played with it, plus
 * {@code CODECS}, {@code RESOLUTION}, {@code FRAME-RATE} and {@code AUDIO}. URIs are relative
 * ({@code {rendition}/index.m3u8}), matching the layout {@code /vod/{id}/master.m3u8} next to the rendition folders.
 * Pure function of its input; the origin reuses it.
 */
public final class MasterPlaylistWriter
{
    private MasterPlaylistWriter()
    {
    }

    /**
     * @param video         video renditions in the order players should see them (lowest first).
     * @param audio         audio renditions (may be empty).
     * @param mediaPlaylist the media playlist file name inside each rendition folder.
     * @return the playlist text, lines ending in {@code \n}.
     */
    public static String write(final List<PackagedVideo> video, final List<PackagedAudio> audio,
        final String mediaPlaylist)
    {
        final StringBuilder m3u8 = new StringBuilder(512);
        m3u8.append("#EXTM3U\n");
        m3u8.append("#EXT-X-VERSION:7\n");
        m3u8.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        String lastGroup = null;
        for (final PackagedAudio rendition : audio)
        {
            final boolean firstOfGroup = !rendition.groupId().equals(lastGroup);
            lastGroup = rendition.groupId();
            m3u8.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(rendition.groupId())
                .append("\",NAME=\"").append(rendition.name())
                .append("\",DEFAULT=").append(firstOfGroup ? "YES" : "NO")
                .append(",AUTOSELECT=YES,CHANNELS=\"").append(rendition.channels())
                .append("\",URI=\"").append(rendition.name()).append('/').append(mediaPlaylist).append("\"\n");
        }
        for (final PackagedVideo rendition : video)
        {
            final PackagedAudio pairedAudio = audioOf(rendition, audio);
            final Bandwidth bandwidth = pairedAudio == null ? rendition.bandwidth() :
                rendition.bandwidth().plus(pairedAudio.bandwidth());
            m3u8.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth.peakBps())
                .append(",AVERAGE-BANDWIDTH=").append(bandwidth.averageBps())
                .append(",CODECS=\"").append(rendition.codecs());
            if (pairedAudio != null)
            {
                m3u8.append(',').append(pairedAudio.codecs());
            }
            m3u8.append("\",RESOLUTION=").append(rendition.width()).append('x').append(rendition.height())
                .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", rendition.frameRate().toDouble()));
            if (pairedAudio != null)
            {
                m3u8.append(",AUDIO=\"").append(pairedAudio.groupId()).append('"');
            }
            m3u8.append('\n').append(rendition.name()).append('/').append(mediaPlaylist).append('\n');
        }
        return m3u8.toString();
    }

    private static PackagedAudio audioOf(final PackagedVideo video, final List<PackagedAudio> audio)
    {
        if (video.audioGroup() == null)
        {
            return null;
        }
        for (final PackagedAudio rendition : audio)
        {
            if (rendition.groupId().equals(video.audioGroup()))
            {
                return rendition;
            }
        }
        throw new IllegalArgumentException("video " + video.name() + " names audio group " + video.audioGroup() +
            " but no audio rendition has it");
    }
}
