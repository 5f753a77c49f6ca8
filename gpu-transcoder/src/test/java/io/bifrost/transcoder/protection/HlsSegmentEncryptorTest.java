package io.bifrost.transcoder.protection;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HlsSegmentEncryptorTest
{
    @TempDir
    static Path dir;
    private static String clearVideo;
    private static byte[] clearSegment;
    private static final TitleKey KEY = TitleKey.generate(new SecureRandom());

    @BeforeAll
    static void encryptOnce() throws Exception
    {
        ProtectedRenditions.write(dir);
        clearVideo = ProtectedRenditions.decode(List.of(), dir.resolve("video/index.m3u8").toString());
        clearSegment = Files.readAllBytes(dir.resolve("video/1.m4s"));
        HlsSegmentEncryptor.encryptRendition(dir.resolve("video"), ProtectedRenditions.PLAYLIST, KEY,
            "/api/v1/videos/abc/hls-key");
    }

    @Test
    void shouldNameTheKeyAfterTheClearInitSegment() throws Exception
    {
        final List<String> lines = Files.readAllLines(dir.resolve("video/index.m3u8"), StandardCharsets.UTF_8);
        final int map = lines.indexOf("#EXT-X-MAP:URI=\"init.mp4\"");
        assertThat(map).isPositive();
        assertThat(lines.get(map + 1)).isEqualTo("#EXT-X-KEY:METHOD=AES-128,URI=\"/api/v1/videos/abc/hls-key\"");
        assertThat(lines.stream().filter(line -> line.startsWith("#EXT-X-KEY")).count()).isEqualTo(1);
        assertThat(new String(Files.readAllBytes(dir.resolve("video/init.mp4")), StandardCharsets.ISO_8859_1))
            .contains("ftyp", "moov", "avcC");
    }

    @Test
    void shouldNotDecodeSegmentsWithoutTheKey() throws Exception
    {
        final Path joined = ProtectedRenditions.concat(dir.resolve("joined.mp4"), dir.resolve("video/init.mp4"),
            dir.resolve("video/0.m4s"), dir.resolve("video/1.m4s"));
        final String decoded = ProtectedRenditions.decode(List.of(), joined.toString());
        assertThat(decoded).isNotEqualTo(clearVideo);
        assertThat(decoded.startsWith("FAILED") || decoded.isBlank()).as(decoded).isTrue();
        assertThat(new String(Files.readAllBytes(dir.resolve("video/1.m4s")), StandardCharsets.ISO_8859_1))
            .doesNotContain("styp", "moof", "mdat");
    }

    @Test
    void shouldDecodeWithTheKeyThroughFfmpegHlsCrypto() throws Exception
    {
        final Path keyFile = dir.resolve("title.key");
        Files.write(keyFile, KEY.key());
        final Path local = dir.resolve("video/local.m3u8");
        Files.writeString(local, Files.readString(dir.resolve("video/index.m3u8"))
            .replace("/api/v1/videos/abc/hls-key", keyFile.toString()));
        final String decoded = ProtectedRenditions.decode(List.of("-allowed_extensions", "ALL",
            "-protocol_whitelist", "file,crypto,data"), local.toString());
        assertThat(decoded).isEqualTo(clearVideo);
        assertThat(decoded.lines().count()).isGreaterThan(50);
    }

    @Test
    void shouldUseTheMediaSequenceNumberAsIv() throws Exception
    {
        final byte[] encrypted = Files.readAllBytes(dir.resolve("video/1.m4s"));
        assertThat(encrypted.length % 16).isZero();
        assertThat(HlsSegmentEncryptor.decrypt(encrypted, KEY, 1)).isEqualTo(clearSegment);
        assertThat(HlsSegmentEncryptor.sequenceIv(1)).endsWith(0, 0, 0, 1).startsWith(0, 0, 0, 0);
        assertThatThrownBy(() -> HlsSegmentEncryptor.decrypt(encrypted, TitleKey.generate(new SecureRandom()), 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAPlaylistThatAlreadyNamesAKey()
    {
        assertThatThrownBy(() -> HlsSegmentEncryptor.withKeyTag("#EXTM3U\n#EXT-X-KEY:METHOD=NONE\n#EXTINF:2,\n0.m4s\n",
            "k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNeverShowTheKeyInText()
    {
        assertThat(KEY.toString()).doesNotContain(KEY.keyHex()).contains(KEY.kidHex());
        assertThat(TitleProtection.aes128(KEY, "k").toString()).doesNotContain(KEY.keyHex());
    }
}
