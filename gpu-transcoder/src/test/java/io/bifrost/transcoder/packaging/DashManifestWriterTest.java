package io.bifrost.transcoder.packaging;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.bifrost.transcoder.packaging.Fixtures.AAC;
import static io.bifrost.transcoder.packaging.Fixtures.HIGH;
import static io.bifrost.transcoder.packaging.Fixtures.LOW;
import static org.assertj.core.api.Assertions.assertThat;

class DashManifestWriterTest
{
    private static Document parse(final String xml) throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(final Element parent, final String name)
    {
        final NodeList nodes = parent.getElementsByTagName(name);
        final List<Element> result = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++)
        {
            result.add((Element)nodes.item(i));
        }
        return result;
    }

    @Test
    void shouldWriteAStaticMpdThatParsesBackWithOneAdaptationSetPerMediaType() throws Exception
    {
        final Document mpd = parse(DashManifestWriter.write(List.of(LOW, HIGH), List.of(AAC), 10.04, 4, "init.mp4",
            0));
        final Element root = mpd.getDocumentElement();

        assertThat(root.getLocalName()).isEqualTo("MPD");
        assertThat(root.getNamespaceURI()).isEqualTo("urn:mpeg:dash:schema:mpd:2011");
        assertThat(root.getAttribute("type")).isEqualTo("static");
        assertThat(root.getAttribute("mediaPresentationDuration")).isEqualTo("PT10.040S");
        assertThat(root.getAttribute("minBufferTime")).isEqualTo("PT4.000S");

        final List<Element> sets = elements(root, "AdaptationSet");
        assertThat(sets).extracting(e -> e.getAttribute("contentType")).containsExactly("video", "audio");
        assertThat(sets.get(0).getAttribute("maxWidth")).isEqualTo("640");
        final List<Element> video = elements(sets.get(0), "Representation");
        assertThat(video).extracting(e -> e.getAttribute("id")).containsExactly("240p", "360p");
        assertThat(video).extracting(e -> e.getAttribute("codecs")).containsExactly("avc1.64000d", "avc1.64001e");
        assertThat(video).extracting(e -> e.getAttribute("bandwidth")).containsExactly("500000", "1000000");
        assertThat(video.get(1).getAttribute("frameRate")).isEqualTo("30000/1001");
        assertThat(video.get(0).getAttribute("width")).isEqualTo("426");

        final Element audio = elements(sets.get(1), "Representation").get(0);
        assertThat(audio.getAttribute("codecs")).isEqualTo("mp4a.40.2");
        assertThat(audio.getAttribute("audioSamplingRate")).isEqualTo("48000");
        assertThat(elements(audio, "AudioChannelConfiguration").get(0).getAttribute("value")).isEqualTo("2");
    }

    @Test
    void shouldDescribeSegmentsWithATemplateOverTheSameFilesAndAnExactTimeline() throws Exception
    {
        final Document mpd = parse(DashManifestWriter.write(List.of(LOW), List.of(AAC), 10.04, 4, "init.mp4", 0));
        final List<Element> templates = elements(mpd.getDocumentElement(), "SegmentTemplate");

        assertThat(templates).hasSize(2).allSatisfy(t ->
        {
            assertThat(t.getAttribute("initialization")).isEqualTo("$RepresentationID$/init.mp4");
            assertThat(t.getAttribute("media")).isEqualTo("$RepresentationID$/$Number$.m4s");
            assertThat(t.getAttribute("startNumber")).isEqualTo("0");
            assertThat(t.getAttribute("timescale")).isEqualTo("1000");
        });
        final List<String> video = elements(templates.get(0), "S").stream()
            .map(s -> s.getAttribute("t") + "/" + s.getAttribute("d") + "/" + s.getAttribute("r")).toList();
        assertThat(video).containsExactly("0/4000/1", "8000/2040/");
        final List<String> audio = elements(templates.get(1), "S").stream()
            .map(s -> s.getAttribute("t") + "/" + s.getAttribute("d") + "/" + s.getAttribute("r")).toList();
        // start times are rounded from the running total, so durations sum to the exact end (10.040 s)
        assertThat(audio).containsExactly("0/4011/", "4011/3989/", "8000/2040/");
    }
}
