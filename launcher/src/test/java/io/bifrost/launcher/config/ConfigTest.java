package io.bifrost.launcher.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest
{
    @TempDir
    Path dir;

    @Test
    void shouldUseDefaultsWithNoConfiguration()
    {
        final Config config = Config.load(Map.of(), Map.of());

        assertThat(config.integer(ConfigKeys.EDGE_PORT)).isEqualTo(8080);
        assertThat(config.integer(ConfigKeys.ORIGIN_PORT)).isEqualTo(8081);
        assertThat(config.integer(ConfigKeys.CONTROL_PORT)).isEqualTo(8082);
        assertThat(config.integer(ConfigKeys.INGEST_RTMP_PORT)).isEqualTo(1935);
        assertThat(config.urls(ConfigKeys.EDGE_ORIGIN)).containsExactly(URI.create("http://127.0.0.1:8081"));
        assertThat(config.setting(ConfigKeys.EDGE_PORT).source()).isEqualTo(ConfigSource.DEFAULT);
    }

    @Test
    void shouldApplyFlagOverEnvironmentOverFileOverDefault() throws IOException
    {
        final Path file = write("edge.port = 7001\norigin.port = 7002\ncontrol.port = 7003\n");
        final Map<String, String> env = Map.of(
            "BIFROST_CONFIG", file.toString(), "BIFROST_EDGE_PORT", "7101", "BIFROST_ORIGIN_PORT", "7102");

        final Config config = Config.load(env, Map.of("edge.port", List.of("7201")));

        assertThat(config.integer(ConfigKeys.EDGE_PORT)).isEqualTo(7201);
        assertThat(config.setting(ConfigKeys.EDGE_PORT).source()).isEqualTo(ConfigSource.FLAG);
        assertThat(config.integer(ConfigKeys.ORIGIN_PORT)).isEqualTo(7102);
        assertThat(config.setting(ConfigKeys.ORIGIN_PORT).source()).isEqualTo(ConfigSource.ENV);
        assertThat(config.integer(ConfigKeys.CONTROL_PORT)).isEqualTo(7003);
        assertThat(config.setting(ConfigKeys.CONTROL_PORT).source()).isEqualTo(ConfigSource.FILE);
        assertThat(config.integer(ConfigKeys.INGEST_SRT_PORT)).isEqualTo(9000);
    }

    @Test
    void shouldTakeSeveralOriginsInFailoverOrderFromRepeatedFlagsOrCommaSeparatedText()
    {
        final Config fromFlags = Config.load(Map.of(),
            Map.of("edge.origin", List.of("http://o1:8081", "https://o2")));
        final Config fromEnv = Config.load(Map.of("BIFROST_EDGE_ORIGIN", "http://o1:8081, https://o2"), Map.of());

        assertThat(fromFlags.urls(ConfigKeys.EDGE_ORIGIN))
            .containsExactly(URI.create("http://o1:8081"), URI.create("https://o2"));
        assertThat(fromEnv.urls(ConfigKeys.EDGE_ORIGIN)).isEqualTo(fromFlags.urls(ConfigKeys.EDGE_ORIGIN));
    }

    @Test
    void shouldNameTheSourceOfABadValue() throws IOException
    {
        final Path file = write("# ports\n\nedge.port = 80800\n");

        assertThatThrownBy(() -> Config.load(Map.of(), Map.of("config", List.of(file.toString()))))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("edge.port")
            .hasMessageContaining(file.toString())
            .hasMessageContaining("between 0 and 65535");
        assertThatThrownBy(() -> Config.load(Map.of("BIFROST_ORIGIN_PORT", "http"), Map.of()))
            .hasMessageContaining("origin.port (from BIFROST_ORIGIN_PORT): expected an integer, got 'http'");
        assertThatThrownBy(() -> Config.load(Map.of(), Map.of("edge.origin", List.of("ftp://x"))))
            .hasMessageContaining("from --edge.origin")
            .hasMessageContaining("http(s)://host");
    }

    @Test
    void shouldSuggestTheKnownKeyForATypoInTheFile() throws IOException
    {
        final Path file = write("edge.prot = 8080\n");

        assertThatThrownBy(() -> Config.load(Map.of("BIFROST_CONFIG", file.toString()), Map.of()))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("unknown setting 'edge.prot'")
            .hasMessageContaining("did you mean 'edge.port'?");
    }

    @Test
    void shouldRejectMalformedAndDuplicateLinesWithTheLineNumber() throws IOException
    {
        final Path noEquals = write("edge.port 8080\n");
        final Path twice = write("edge.port = 1\n\nedge.port = 2\n");

        assertThatThrownBy(() -> Config.load(Map.of("BIFROST_CONFIG", noEquals.toString()), Map.of()))
            .hasMessageContaining(":1: expected 'key = value'");
        assertThatThrownBy(() -> Config.load(Map.of("BIFROST_CONFIG", twice.toString()), Map.of()))
            .hasMessageContaining(":3: 'edge.port' is set twice");
    }

    @Test
    void shouldRefuseMissingBinaryAndHugeFilesClearly() throws IOException
    {
        final Path binary = dir.resolve("video.mp4");
        Files.write(binary, new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', (byte)0xff, (byte)0xfe});
        final Path huge = dir.resolve("huge.conf");
        Files.writeString(huge, "#".repeat(ConfigFileParser.MAX_FILE_CHARS + 1));

        assertThatThrownBy(() -> Config.load(Map.of("BIFROST_CONFIG", dir.resolve("nope.conf").toString()), Map.of()))
            .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Config.load(Map.of("BIFROST_CONFIG", binary.toString()), Map.of()))
            .hasMessageContaining("not UTF-8 text");
        assertThatThrownBy(() -> Config.load(Map.of("BIFROST_CONFIG", huge.toString()), Map.of()))
            .hasMessageContaining("larger than 1024 KiB");
    }

    @Test
    void shouldWarnAboutUnknownBifrostVariablesButIgnoreOtherVariables()
    {
        final Config config = Config.load(
            Map.of("BIFROST_EDGE_PROT", "1", "BIFROST_JAVA_OPTS", "-Xmx1g", "HOME", "/root"), Map.of());

        assertThat(config.warnings()).containsExactly(
            "ignoring environment variable BIFROST_EDGE_PROT: no such setting (see bifrost --help)");
    }

    @Test
    void shouldParseSizesBooleansAndPaths()
    {
        assertThat(ConfigType.SIZE.parse("512m")).isEqualTo(512L << 20);
        assertThat(ConfigType.SIZE.parse("20G")).isEqualTo(20L << 30);
        assertThat(ConfigType.SIZE.parse("4096")).isEqualTo(4096L);
        assertThat(ConfigType.BOOLEAN.parse("on")).isEqualTo(true);
        assertThat(ConfigType.PATH.parse("/var/lib/bifrost")).isEqualTo(Path.of("/var/lib/bifrost"));
        assertThatThrownBy(() -> ConfigType.SIZE.parse("99999999999t")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ConfigType.SIZE.parse("lots")).hasMessageContaining("like 512m");
        assertThatThrownBy(() -> ConfigType.BOOLEAN.parse("maybe")).hasMessageContaining("true or false");
    }

    @Test
    void shouldNameEnvironmentVariablesAndFlagsAfterTheKey()
    {
        assertThat(ConfigKeys.INGEST_RTMP_PORT.envName()).isEqualTo("BIFROST_INGEST_RTMP_PORT");
        assertThat(ConfigKeys.INGEST_RTMP_PORT.shortFlag()).isEqualTo("--rtmp-port");
        assertThat(ConfigKeys.INGEST_RTMP_PORT.longFlag()).isEqualTo("--ingest.rtmp-port");
        assertThat(ConfigKeys.DATA_DIR.shortFlag()).isEqualTo("--data-dir");
        assertThat(ConfigKeys.DATA_DIR.role()).isNull();
        assertThat(ConfigKeys.ALL).extracting(ConfigKey::envName).doesNotHaveDuplicates();
    }

    private Path write(final String text) throws IOException
    {
        final Path file = Files.createTempFile(dir, "bifrost", ".conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shouldReadSigningKeysWithTheFirstAsCurrentAndNeverEchoASecretInErrors()
    {
        final String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        final ConfigKey edge = ConfigKeys.EDGE_SIGNING_KEYS;

        final io.bifrost.protocol.signing.SigningKeyRing ring = SigningKeysSetting.parse(edge, "new:" + secret + ", old:" + secret);

        assertThat(ring.current().keyId()).isEqualTo("new");
        assertThat(ring.find("old")).isNotNull();
        assertThat(SigningKeysSetting.parse(edge, "")).isNull();
        assertThatThrownBy(() -> SigningKeysSetting.parse(edge, "k1:c2hvcnQ")).hasMessageContaining("key 'k1' is not usable")
            .hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> SigningKeysSetting.parse(edge, "k1:***not-base64***")).hasMessageContaining("not base64url")
            .hasMessageNotContaining("not-base64");
        assertThatThrownBy(() -> SigningKeysSetting.parse(edge, "justakey")).hasMessageContaining("must be kid:secret")
            .hasMessageStartingWith("edge.signing-keys: ");
        assertThatThrownBy(() -> SigningKeysSetting.parse(ConfigKeys.CONTROL_SIGNING_KEYS, "justakey"))
            .hasMessageStartingWith("control.signing-keys: ");
    }
}
