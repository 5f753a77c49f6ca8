package io.bifrost.edge.player;

import io.bifrost.edge.EdgeNode;
import io.bifrost.edge.RunningEdge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code edge.player-hlsjs-dir}: a real edge ({@link EdgeNode#launch}, Netty on 127.0.0.1) serves the reference player
 * with the hls.js of a configured directory (the npm release the browser suite installed when there is one, else a
 * file written here) instead of the bundled WebJar's, and refuses to start with a directory that lacks hls.min.js.
 */
class PlayerHlsJsDirectoryTest
{
    /** Where the browser suite's npm install puts hls.js, relative to this module. */
    private static final Path NPM_DIST = Path.of("../system-tests/browser/node_modules/hls.js/dist");
    private static final Pattern HLS_JS_URL = Pattern.compile("<script src=\"(/player/assets/hls\\.min\\.js\\?v=[^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void shouldServeTheHlsJsOfTheConfiguredDirectory() throws Exception
    {
        final Path hlsJsDir;
        final String expectedSource;
        if (Files.isReadable(NPM_DIST.resolve("hls.min.js")))
        {
            hlsJsDir = NPM_DIST;
            expectedSource = "hls.js " + PlayerService.npmVersion(NPM_DIST.resolve("../package.json").normalize()) + " from ";
        }
        else
        {
            hlsJsDir = Files.createDirectories(dir.resolve("node_modules/hls.js/dist"));
            Files.writeString(hlsJsDir.resolve("hls.min.js"), "/* hls.js test build */ window.Hls = function () {};");
            Files.writeString(hlsJsDir.resolve("../package.json"), "{\"name\":\"hls.js\",\"version\":\"9.8.7\"}");
            expectedSource = "hls.js 9.8.7 from ";
        }
        final byte[] expected = Files.readAllBytes(hlsJsDir.resolve("hls.min.js"));
        try (RunningEdge edge = EdgeNode.launch(new EdgeNode.Context().bindAddress("127.0.0.1").port(0).tlsPort(0)
                 .dataDir(dir.resolve("edge")).ramBytes(4L << 20).meterRegistry(new SimpleMeterRegistry())
                 .origins(List.of(URI.create("http://127.0.0.1:9"))).playerHlsJsDir(hlsJsDir));
             HttpClient http = HttpClient.newHttpClient())
        {
            final String base = "http://127.0.0.1:" + edge.port();
            final HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/player/title1"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<meta name=\"bifrost-hlsjs\" content=\"" + expectedSource);
            final Matcher script = HLS_JS_URL.matcher(page.body());
            assertThat(script.find()).isTrue();

            final HttpResponse<byte[]> hlsJs = http.send(HttpRequest.newBuilder(
                URI.create(base + script.group(1))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(hlsJs.statusCode()).isEqualTo(200);
            assertThat(hlsJs.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(hlsJs.body()).isEqualTo(expected);
        }
    }

    @Test
    void shouldRefuseToStartWithADirectoryWithoutHlsMinJs() throws Exception
    {
        final Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.write(empty.resolve("hls.js"), "not the minified build".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new EdgeNode.Context().playerHlsJsDir(empty).conclude())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("edge.player-hlsjs-dir")
            .hasMessageContaining("hls.min.js");
        assertThatThrownBy(() -> new EdgeNode.Context().playerHlsJsDir(dir.resolve("missing")).conclude())
            .hasMessageContaining("edge.player-hlsjs-dir");
    }
}
