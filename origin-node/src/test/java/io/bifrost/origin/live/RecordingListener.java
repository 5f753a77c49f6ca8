package io.bifrost.origin.live;

import io.bifrost.protocol.sbe.WindowKind;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps every event a packager tells, and checks the ordering contract as it goes: every part a media playlist lists
 * was told before the playlist.
 */
final class RecordingListener implements LiveListener
{
    private static final Pattern PART_URI = Pattern.compile("URI=\"(\\d+)-(\\d+)\\.(\\d+)\\.m4s\"");

    final List<LivePartEvent> parts = new ArrayList<>();
    final List<byte[]> payloads = new ArrayList<>();
    final List<LiveWindowEvent> windows = new ArrayList<>();
    final List<String> orderViolations = new ArrayList<>();
    private final Set<String> told = new HashSet<>();

    @Override
    public synchronized void onPart(final LivePartEvent part)
    {
        parts.add(part);
        final byte[] bytes = new byte[part.payload().remaining()];
        part.payload().duplicate().get(bytes);
        payloads.add(bytes);
        told.add(part.rendition() + "/" + part.epoch() + "-" + part.msn() + "." + part.partIndex());
    }

    @Override
    public synchronized void onWindow(final LiveWindowEvent window)
    {
        windows.add(window);
        if (window.kind() == WindowKind.HLS_MEDIA_PLAYLIST || window.kind() == WindowKind.HLS_MEDIA_PLAYLIST_DELTA)
        {
            final Matcher m = PART_URI.matcher(window.body());
            while (m.find())
            {
                final String name = window.rendition() + "/" + m.group(1) + "-" + m.group(2) + "." + m.group(3);
                final boolean hint = window.body().contains("PRELOAD-HINT:TYPE=PART,URI=\"" + m.group(1) + "-" +
                    m.group(2) + "." + m.group(3));
                if (!hint && !told.contains(name))
                {
                    orderViolations.add(name + " listed before it was told");
                }
            }
        }
    }

    synchronized List<LivePartEvent> parts(final String rendition)
    {
        return parts.stream().filter(p -> p.rendition().equals(rendition)).toList();
    }

    synchronized List<LiveWindowEvent> windows(final String rendition, final WindowKind kind)
    {
        return windows.stream().filter(w -> w.rendition().equals(rendition) && w.kind() == kind).toList();
    }
}
