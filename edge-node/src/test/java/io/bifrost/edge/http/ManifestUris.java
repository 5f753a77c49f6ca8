package io.bifrost.edge.http;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * What a player fetches from a playlist or manifest, as the player sees it: every URI an HLS playlist names (URI
 * lines and the {@code URI="..."} attribute of EXT-X-MAP, EXT-X-MEDIA, EXT-X-PART, EXT-X-PRELOAD-HINT,
 * EXT-X-RENDITION-REPORT, ...) and every URL a DASH MPD's {@code BaseURL}s and {@code SegmentTemplate}s expand to,
 * each still relative (the caller resolves them against the manifest's own URL, as players do).
 */
public final class ManifestUris
{
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");

    private ManifestUris()
    {
    }

    /**
     * @param playlist an HLS master or media playlist.
     * @return the URIs it names, in order.
     */
    public static List<String> hls(final String playlist)
    {
        final List<String> uris = new ArrayList<>();
        for (final String line : playlist.split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            if (line.startsWith("#"))
            {
                final Matcher matcher = URI_ATTRIBUTE.matcher(line);
                while (matcher.find())
                {
                    uris.add(matcher.group(1));
                }
            }
            else
            {
                uris.add(line.strip());
            }
        }
        return uris;
    }

    /**
     * @param mpd a DASH MPD whose representations carry their own {@code SegmentTemplate} (with a
     *            {@code SegmentTimeline}) or {@code BaseURL}.
     * @return every initialization and media URL, and every representation's BaseURL.
     */
    public static List<String> dash(final String mpd) throws Exception
    {
        final Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new ByteArrayInputStream(mpd.getBytes(StandardCharsets.UTF_8)));
        final List<String> uris = new ArrayList<>();
        final NodeList representations = document.getElementsByTagName("Representation");
        for (int i = 0; i < representations.getLength(); i++)
        {
            final Element representation = (Element)representations.item(i);
            final String id = representation.getAttribute("id");
            final NodeList bases = representation.getElementsByTagName("BaseURL");
            for (int b = 0; b < bases.getLength(); b++)
            {
                uris.add(bases.item(b).getTextContent().strip());
            }
            final NodeList templates = representation.getElementsByTagName("SegmentTemplate");
            if (templates.getLength() == 0)
            {
                continue;
            }
            final Element template = (Element)templates.item(0);
            uris.add(template.getAttribute("initialization").replace("$RepresentationID$", id));
            final long start = Long.parseLong(template.getAttribute("startNumber"));
            final NodeList entries = template.getElementsByTagName("S");
            long count = 0;
            for (int s = 0; s < entries.getLength(); s++)
            {
                final String repeat = ((Element)entries.item(s)).getAttribute("r");
                count += 1 + (repeat.isEmpty() ? 0 : Long.parseLong(repeat));
            }
            for (long n = start; n < start + count; n++)
            {
                uris.add(template.getAttribute("media").replace("$RepresentationID$", id)
                    .replace("$Number$", Long.toString(n)));
            }
        }
        return uris;
    }
}
