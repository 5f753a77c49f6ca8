package io.bifrost.transcoder.protection;

import io.bifrost.transcoder.TestMedia;
import io.bifrost.transcoder.job.VodTranscoder;
import io.bifrost.transcoder.ladder.LadderOptions;
import io.bifrost.transcoder.ladder.LadderRung;
import io.bifrost.transcoder.probe.SourceLimits;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole VOD transcode of one small clip, once AES-128 and once ClearKey: what the published title folder holds.
 */
class ProtectedTitleTest
{
    private static final TitleKey AES_KEY = TitleKey.generate(new SecureRandom());
    private static final TitleKey CLEAR_KEY = TitleKey.generate(new SecureRandom());
    @TempDir
    static Path dir;
    static Path aesTitle;
    static Path clearKeyTitle;

    @BeforeAll
    static void transcodeBoth() throws Exception
    {
        final Path source = TestMedia.clip(dir.resolve("source.mp4"), 480, 270, 25, 4, true);
        final VodTranscoder transcoder = new VodTranscoder(TestMedia.FFMPEG, TestMedia.FFPROBE, SourceLimits.DEFAULTS);
        final LadderOptions ladder = LadderOptions.DEFAULTS.withSegmentSeconds(2).withX264Preset("ultrafast")
            .withRungs(List.of(LadderRung.values()[0], LadderRung.values()[1]));
        transcoder.transcode("aes", source, dir.resolve("vod"), ladder, ThumbnailOptions.DEFAULTS, progress -> { },
            TitleProtection.aes128(AES_KEY, "/api/v1/videos/aes/hls-key"));
        transcoder.transcode("ck", source, dir.resolve("vod"), ladder, ThumbnailOptions.DEFAULTS, progress -> { },
            TitleProtection.clearKey(CLEAR_KEY, "/api/v1/videos/ck/clearkey"));
        aesTitle = dir.resolve("vod/aes");
        clearKeyTitle = dir.resolve("vod/ck");
    }

    @Test
    void shouldPublishAnAes128TitleWithEncryptedHlsAndNoDash() throws Exception
    {
        assertThat(aesTitle.resolve("master.m3u8")).exists();
        assertThat(aesTitle.resolve("manifest.mpd")).doesNotExist();
        for (final String rendition : List.of("240p", "audio"))
        {
            final String playlist = Files.readString(aesTitle.resolve(rendition).resolve("index.m3u8"));
            assertThat(playlist).contains("#EXT-X-KEY:METHOD=AES-128,URI=\"/api/v1/videos/aes/hls-key\"");
            assertThat(new String(Files.readAllBytes(aesTitle.resolve(rendition).resolve("0.m4s")),
                StandardCharsets.ISO_8859_1)).doesNotContain("moof");
        }
        final Path keyFile = dir.resolve("aes.key");
        Files.write(keyFile, AES_KEY.key());
        final Path local = aesTitle.resolve("240p/local.m3u8");
        Files.writeString(local, Files.readString(aesTitle.resolve("240p/index.m3u8"))
            .replace("/api/v1/videos/aes/hls-key", keyFile.toString()));
        final String frames = ProtectedRenditions.decode(List.of("-allowed_extensions", "ALL",
            "-protocol_whitelist", "file,crypto,data"), local.toString());
        assertThat(frames).doesNotStartWith("FAILED");
        assertThat(frames.lines().count()).isEqualTo(100);
    }

    @Test
    void shouldPublishAClearKeyTitleWithContentProtectionInTheMpd() throws Exception
    {
        final Document mpd = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(
            new ByteArrayInputStream(Files.readAllBytes(clearKeyTitle.resolve("manifest.mpd"))));
        final NodeList sets = mpd.getElementsByTagNameNS("urn:mpeg:dash:schema:mpd:2011", "AdaptationSet");
        assertThat(sets.getLength()).isEqualTo(2);
        for (int i = 0; i < sets.getLength(); i++)
        {
            final NodeList protections = ((Element)sets.item(i)).getElementsByTagNameNS(
                "urn:mpeg:dash:schema:mpd:2011", "ContentProtection");
            assertThat(protections.getLength()).isEqualTo(2);
            final Element cenc = (Element)protections.item(0);
            assertThat(cenc.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:mp4protection:2011");
            assertThat(cenc.getAttribute("value")).isEqualTo("cenc");
            assertThat(cenc.getAttributeNS("urn:mpeg:cenc:2013", "default_KID")).isEqualTo(CLEAR_KEY.kidUuid());
            final Element clearKey = (Element)protections.item(1);
            assertThat(clearKey.getAttribute("schemeIdUri")).isEqualTo("urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e");
            assertThat(clearKey.getElementsByTagNameNS("https://dashif.org/CPS", "Laurl").item(0).getTextContent())
                .isEqualTo("/api/v1/videos/ck/clearkey");
            assertThat(clearKey.getElementsByTagNameNS("urn:mpeg:cenc:2013", "pssh").getLength())
                .as("no MPD pssh: dash.js would look for one of the ClearKey system id and fail").isZero();
        }
        final String clear = ProtectedRenditions.decode(List.of(), source().toString());
        assertThat(clear).isNotBlank();
        final Path joined = ProtectedRenditions.concat(dir.resolve("ck-240p.mp4"), clearKeyTitle.resolve("240p/init.mp4"),
            clearKeyTitle.resolve("240p/0.m4s"), clearKeyTitle.resolve("240p/1.m4s"));
        final String decrypted = ProtectedRenditions.decode(List.of("-decryption_key", CLEAR_KEY.keyHex()),
            joined.toString());
        assertThat(decrypted).doesNotStartWith("FAILED");
        assertThat(decrypted.lines().count()).isEqualTo(100);
        assertThat(ProtectedRenditions.decode(List.of(), joined.toString())).isNotEqualTo(decrypted);
    }

    @Test
    void shouldRefuseAProtectionWithoutItsKeyOrUrl()
    {
        assertThatThrownBy(() -> new TitleProtection(ContentProtection.AES_128, null, "k", null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TitleProtection.aes128(AES_KEY, "a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TitleProtection.clearKey(CLEAR_KEY, " ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ContentProtection.parse(" AES-128 ")).isEqualTo(ContentProtection.AES_128);
        assertThat(ContentProtection.parse(null)).isEqualTo(ContentProtection.NONE);
        assertThatThrownBy(() -> ContentProtection.parse("widevine")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("none, aes-128 or clearkey");
    }

    private static Path source()
    {
        return dir.resolve("source.mp4");
    }
}
