package io.bifrost.transcoder.cuda;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PtxFreshnessTest
{
    /** Surefire runs in the module folder. */
    private static final Path CUDA_SOURCES = Path.of("src/main/cuda");

    @Test
    void shouldShipPtxBuiltFromTheCurrentCudaSources() throws Exception
    {
        final List<Path> sources;
        try (Stream<Path> files = Files.list(CUDA_SOURCES))
        {
            sources = files.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
        }
        assertThat(sources).isNotEmpty();
        for (final Path source : sources)
        {
            final String name = source.getFileName().toString().replaceFirst("\\.cu$", "");
            final String sha256 = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(source)));

            assertThat(PtxResource.load(name).sourceSha256())
                .as("%s.ptx is stale: run src/main/cuda/build-ptx.sh and commit the PTX", name)
                .isEqualTo(sha256);
        }
    }

    @Test
    void shouldDeclareTheKernelTheScalerLaunches()
    {
        final PtxResource ptx = PtxResource.load(CudaLadderScaler.MODULE);

        assertThat(ptx.text()).contains(".visible .entry " + CudaLadderScaler.KERNEL + "(").contains(".target sm_75");
    }
}
