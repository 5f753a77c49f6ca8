package io.bifrost.transcoder.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bifrost.transcoder.cuda.CudaLadderScaler;
import io.bifrost.transcoder.cuda.PtxResource;
import io.bifrost.transcoder.probe.FrameRate;
import io.bifrost.transcoder.thumbnail.FrameStills;
import io.bifrost.transcoder.thumbnail.ThumbnailOptions;
import io.bifrost.transcoder.thumbnail.ThumbnailPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes the reference frames that the GPU check ({@code src/test/gpu/verify_ladder_ptx.py}, run with CuPy on a
 * machine without Java) compares the PTX kernel's output with: per case the source batch, the Java reference output
 * ({@link AreaScaler}) and, in {@code manifest.json}, the exact job table and launch shape {@link CudaLadderScaler}
 * uses. Runs only on demand, because it writes about 15 MB (gzip):
 * {@code ./mvnw -B -o -pl gpu-transcoder test -Dtest=GpuReferenceFilesTest -Dbifrost.gpu.reference.dir=target/gpu-reference}.
 */
@EnabledIfSystemProperty(named = GpuReferenceFilesTest.DIR_PROPERTY, matches = ".+",
    disabledReason = "writes the GPU check's reference frames only when -Dbifrost.gpu.reference.dir=... is given")
class GpuReferenceFilesTest
{
    static final String DIR_PROPERTY = "bifrost.gpu.reference.dir";

    private record Case(String name, FrameSize source, PixelLayout in, PixelLayout out, int frames, boolean noise,
        List<FrameSize> rungs)
    {
    }

    private static final List<FrameSize> LADDER_2160 = List.of(new FrameSize(3840, 2160), new FrameSize(2560, 1440),
        new FrameSize(1920, 1080), new FrameSize(1280, 720), new FrameSize(854, 480), new FrameSize(640, 360),
        new FrameSize(426, 240));
    private static final List<FrameSize> LADDER_1080 = LADDER_2160.subList(2, 7);

    private static final List<Case> CASES = List.of(
        new Case("1080p-i420", new FrameSize(1920, 1080), PixelLayout.I420, PixelLayout.I420, 3, false, LADDER_1080),
        new Case("1080p-nv12", new FrameSize(1920, 1080), PixelLayout.NV12, PixelLayout.NV12, 2, false, LADDER_1080),
        new Case("720p-i420-to-nv12-noise", new FrameSize(1280, 720), PixelLayout.I420, PixelLayout.NV12, 2, true,
            LADDER_1080.subList(1, 5)),
        new Case("odd-1279x719", new FrameSize(1279, 719), PixelLayout.I420, PixelLayout.I420, 2, false,
            List.of(new FrameSize(1278, 718), new FrameSize(854, 480), new FrameSize(426, 240))),
        new Case("2160p-nv12", new FrameSize(3840, 2160), PixelLayout.NV12, PixelLayout.NV12, 1, false, LADDER_2160));

    @Test
    void shouldWriteReferenceFramesAndAManifestForTheGpuCheck() throws Exception
    {
        final Path dir = Path.of(System.getProperty(DIR_PROPERTY));
        Files.createDirectories(dir);
        final ObjectMapper json = new ObjectMapper();
        final ObjectNode manifest = json.createObjectNode();
        final PtxResource ptx = PtxResource.load(CudaLadderScaler.MODULE);
        manifest.put("ptxModule", ptx.name() + ".ptx");
        manifest.put("ptxSourceSha256", ptx.sourceSha256());
        manifest.put("kernel", CudaLadderScaler.KERNEL);
        manifest.put("blockThreads", 256);
        final ArrayNode cases = manifest.putArray("cases");
        for (final Case c : CASES)
        {
            final ScaleJobTable table = new ScaleJobTable(c.source(), c.in(), c.rungs(), c.out());
            final byte[] src = c.noise() ? noise(c.frames() * table.sourceFrameBytes()) :
                RawFrames.testPattern(c.source(), c.in(), c.frames());
            assertThat((long)src.length).isEqualTo(c.frames() * table.sourceFrameBytes());
            final byte[] expected = new byte[(int)(c.frames() * table.outputFrameBytes())];
            AreaScaler.scale(table, src, c.frames(), expected);
            writeGzip(dir.resolve(c.name() + ".src.yuv.gz"), src);
            writeGzip(dir.resolve(c.name() + ".expected.yuv.gz"), expected);

            final ObjectNode node = cases.addObject();
            node.put("name", c.name());
            node.put("sourceWidth", c.source().width());
            node.put("sourceHeight", c.source().height());
            node.put("sourceLayout", c.in().name());
            node.put("outputLayout", c.out().name());
            node.put("frames", c.frames());
            node.put("sourceFrameBytes", table.sourceFrameBytes());
            node.put("outputFrameBytes", table.outputFrameBytes());
            node.put("jobCount", table.jobCount());
            node.put("totalThreads", table.totalThreads());
            final ArrayNode jobs = node.putArray("jobs");
            for (final int v : table.jobs())
            {
                jobs.add(v);
            }
            final ArrayNode outputs = node.putArray("outputs");
            for (int r = 0; r < c.rungs().size(); r++)
            {
                outputs.addObject().put("width", c.rungs().get(r).width()).put("height", c.rungs().get(r).height())
                    .put("offset", table.outputOffset(r));
            }
            node.put("source", c.name() + ".src.yuv.gz");
            node.put("expected", c.name() + ".expected.yuv.gz");
            node.put("expectedSha256", sha256(expected));
        }
        writeSpriteCase(dir, cases);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("manifest.json").toFile(), manifest);

        final JsonNode read = json.readTree(dir.resolve("manifest.json").toFile());
        assertThat(read.get("cases")).hasSize(CASES.size() + 1);
        for (final JsonNode c : read.get("cases"))
        {
            assertThat(sha256(readGzip(dir.resolve(c.get("expected").asText()))))
                .isEqualTo(c.get("expectedSha256").asText());
        }
    }

    /**
     * The sprite sheet as the JCuda path draws it: one launch per tile ({@code CudaLadderScaler.draw}), each with its
     * own 3-job slice of one job array, the source pointer at that tile's frame of the batch, one frame (grid y 1),
     * the destination the whole canvas (letterboxed 4:3 tiles at their offsets, sprite pitch) over a black
     * background. The manifest lists the launches; the expected output is the canvas after all of them.
     */
    private static void writeSpriteCase(final Path dir, final ArrayNode cases) throws Exception
    {
        final String name = "sprite-1440x1080-4-tiles";
        final FrameSize source = new FrameSize(1440, 1080);
        final int frames = 4;
        final FrameStills stills = FrameStills.of(ThumbnailPlan.of(8.0, ThumbnailOptions.DEFAULTS), source,
            FrameRate.of(25));
        final List<ScaleJobTable> tiles = stills.tilePieces();
        assertThat(tiles).hasSize(frames);
        final byte[] src = RawFrames.testPattern(source, PixelLayout.I420, frames);
        final byte[] background = stills.spriteBackground();
        final byte[] expected = background.clone();
        final ObjectNode node = cases.addObject();
        node.put("name", name);
        node.put("sourceWidth", source.width());
        node.put("sourceHeight", source.height());
        node.put("sourceLayout", "I420");
        node.put("outputLayout", "I420");
        node.put("frames", frames);
        node.put("sourceFrameBytes", tiles.get(0).sourceFrameBytes());
        node.put("outputFrameBytes", tiles.get(0).outputFrameBytes());
        final ArrayNode jobs = node.putArray("jobs");
        final ArrayNode launches = node.putArray("launches");
        int firstJob = 0;
        for (int k = 0; k < frames; k++)
        {
            final ScaleJobTable tile = tiles.get(k);
            AreaScaler.scale(tile, src, (int)(k * tile.sourceFrameBytes()), 1, expected, 0);
            for (final int v : tile.jobs())
            {
                jobs.add(v);
            }
            launches.addObject().put("sourceFrame", k).put("firstJob", firstJob).put("jobCount", tile.jobCount())
                .put("totalThreads", tile.totalThreads());
            firstJob += tile.jobCount();
        }
        node.put("jobCount", firstJob);
        node.put("totalThreads", 0);
        node.putArray("outputs").addObject().put("width", stills.spriteSize().width())
            .put("height", stills.spriteSize().height()).put("offset", 0);
        writeGzip(dir.resolve(name + ".src.yuv.gz"), src);
        writeGzip(dir.resolve(name + ".background.yuv.gz"), background);
        writeGzip(dir.resolve(name + ".expected.yuv.gz"), expected);
        node.put("source", name + ".src.yuv.gz");
        node.put("background", name + ".background.yuv.gz");
        node.put("expected", name + ".expected.yuv.gz");
        node.put("expectedSha256", sha256(expected));
    }

    private static void writeGzip(final Path file, final byte[] bytes) throws Exception
    {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16))
        {
            out.write(bytes);
        }
    }

    private static byte[] readGzip(final Path file) throws Exception
    {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16))
        {
            return in.readAllBytes();
        }
    }

    private static byte[] noise(final long length)
    {
        final byte[] out = new byte[(int)length];
        new Random(42).nextBytes(out);
        return out;
    }

    private static String sha256(final byte[] bytes) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
