package io.bifrost.origin.upload;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadContextTest
{
    @Test
    void shouldFillDefaultsThatWorkWithZeroConfiguration()
    {
        final UploadContext context = new UploadContext().dataDir(Path.of("data")).publicUrl(" ").conclude();

        assertThat(context.maxUploadBytes()).isEqualTo(20L << 30);
        assertThat(context.chunkSizeBytes()).isEqualTo(5 << 20);
        assertThat(context.uploadsDir()).isEqualTo(Path.of("data", "uploads"));
        assertThat(context.publicUrl()).isNull();
        assertThat(context.validator()).isInstanceOf(ProbeUploadValidator.class);
        assertThat(context.meterRegistry()).isNotNull();
    }

    @Test
    void shouldNameTheBadKey()
    {
        assertThatThrownBy(() -> new UploadContext().conclude()).hasMessageContaining("origin.data-dir");
        assertThatThrownBy(() -> new UploadContext().dataDir(Path.of("d")).maxUploadBytes(0).conclude())
            .hasMessageContaining("origin.upload.max-bytes");
        assertThatThrownBy(() -> new UploadContext().dataDir(Path.of("d")).publicUrl("upload.example.com").conclude())
            .hasMessageContaining("origin.upload.public-url");
        assertThatThrownBy(() -> new UploadContext().dataDir(Path.of("d")).uploadExpiry(Duration.ZERO).conclude())
            .hasMessageContaining("must be positive");
        assertThat(new UploadContext().dataDir(Path.of("d")).publicUrl("https://up.example.com/").conclude().publicUrl())
            .isEqualTo("https://up.example.com");
    }
}
