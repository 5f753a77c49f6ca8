package io.bifrost.transcoder.protection;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CencEncryptorTest
{
    @TempDir
    static Path dir;
    private static final TitleKey KEY = TitleKey.generate(new SecureRandom());
    private static String clearVideo;
    private static String clearAudio;

    @BeforeAll
    static void encryptOnce() throws Exception
    {
        ProtectedRenditions.write(dir);
        clearVideo = ProtectedRenditions.decode(List.of(), joined("video", "clear-video.mp4").toString());
        clearAudio = ProtectedRenditions.decode(List.of(), joined("audio", "clear-audio.mp4").toString());
        CencEncryptor.encryptRendition(dir.resolve("video"), ProtectedRenditions.PLAYLIST, ProtectedRenditions.INIT,
            KEY);
        CencEncryptor.encryptRendition(dir.resolve("audio"), ProtectedRenditions.PLAYLIST, ProtectedRenditions.INIT,
            KEY);
    }

    private static Path joined(final String rendition, final String name) throws Exception
    {
        final Path folder = dir.resolve(rendition);
        return ProtectedRenditions.concat(dir.resolve(name), folder.resolve("init.mp4"), folder.resolve("0.m4s"),
            folder.resolve("1.m4s"));
    }

    @Test
    void shouldDecodeIdenticallyWithTheKey() throws Exception
    {
        final List<String> withKey = List.of("-decryption_key", KEY.keyHex());
        assertThat(ProtectedRenditions.decode(withKey, joined("video", "video.mp4").toString()))
            .isEqualTo(clearVideo);
        assertThat(ProtectedRenditions.decode(withKey, joined("audio", "audio.mp4").toString()))
            .isEqualTo(clearAudio);
        assertThat(clearVideo.lines().count()).isGreaterThan(50);
    }

    @Test
    void shouldNotDecodeWithoutTheKey() throws Exception
    {
        assertThat(ProtectedRenditions.decode(List.of(), joined("video", "video-nokey.mp4").toString()))
            .isNotEqualTo(clearVideo);
        assertThat(ProtectedRenditions.decode(List.of("-decryption_key", TitleKey.generate(new SecureRandom())
            .keyHex()), joined("audio", "audio-badkey.mp4").toString())).isNotEqualTo(clearAudio);
    }

    @Test
    void shouldDescribeTheSchemeAndKeyIdInTheInitSegment() throws Exception
    {
        final byte[] init = Files.readAllBytes(dir.resolve("video/init.mp4"));
        final String text = new String(init, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("encv", "sinf", "frma", "avc1", "schm", "cenc", "tenc", "pssh")
            .doesNotContain(new String(KEY.key(), StandardCharsets.ISO_8859_1));
        final int tenc = text.indexOf("tenc") - 4;
        assertThat(init[tenc + 14]).isEqualTo((byte)1);
        assertThat(init[tenc + 15]).isEqualTo((byte)8);
        assertThat(Arrays.copyOfRange(init, tenc + 16, tenc + 32)).isEqualTo(KEY.kid());
        assertThat(new String(Files.readAllBytes(dir.resolve("audio/init.mp4")), StandardCharsets.ISO_8859_1))
            .contains("enca", "mp4a", "tenc");
    }

    @Test
    void shouldPointSaioAtTheFirstIvOfSenc() throws Exception
    {
        final byte[] segment = Files.readAllBytes(dir.resolve("video/1.m4s"));
        final int moof = IsoBox.require(segment, 0, segment.length, "moof");
        final int moofEnd = moof + IsoBox.size(segment, moof, segment.length);
        final int traf = IsoBox.require(segment, moof + 8, moofEnd, "traf");
        final int trafEnd = traf + IsoBox.size(segment, traf, moofEnd);
        final int saio = IsoBox.require(segment, traf + 8, trafEnd, "saio");
        final int senc = IsoBox.require(segment, traf + 8, trafEnd, "senc");
        final int saiz = IsoBox.require(segment, traf + 8, trafEnd, "saiz");
        assertThat(moof + IsoBox.u32(segment, saio + 16)).isEqualTo(senc + 16);
        assertThat(IsoBox.u32(segment, saiz + 13)).isEqualTo(IsoBox.u32(segment, senc + 12));
        final int mdat = IsoBox.require(segment, moofEnd, segment.length, "mdat");
        final int trun = IsoBox.require(segment, traf + 8, trafEnd, "trun");
        assertThat(moof + IsoBox.u32(segment, trun + 16)).isEqualTo(mdat + 8);
        final int sidx = IsoBox.require(segment, 0, segment.length, "sidx");
        assertThat(IsoBox.u32(segment, sidx + 12 + 8 + 16 + 4) & 0x7FFF_FFFFL)
            .isEqualTo((long)segment.length - moof);
    }

    @Test
    void shouldRefuseToEncryptTwice()
    {
        assertThatThrownBy(() -> CencEncryptor.encryptRendition(dir.resolve("video"), ProtectedRenditions.PLAYLIST,
            ProtectedRenditions.INIT, KEY)).isInstanceOf(IllegalArgumentException.class);
    }
}
