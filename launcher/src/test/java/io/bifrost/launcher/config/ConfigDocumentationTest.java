package io.bifrost.launcher.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDocumentationTest
{
    @Test
    void shouldDocumentEveryKeyWithItsDefault() throws IOException
    {
        final String doc = Files.readString(Path.of("..", "docs", "configuration.md"));

        for (final ConfigKey key : ConfigKeys.ALL)
        {
            final String defaultCell = key == ConfigKeys.EDGE_IO_THREADS ? "(cores)" :
                key.defaultValue().isEmpty() ? "(none)" : "`" + key.defaultValue() + "`";
            assertThat(doc).as("docs/configuration.md row for %s", key.name())
                .containsPattern("\\| `" + java.util.regex.Pattern.quote(key.name()) + "` \\| [^|]+ \\| " +
                    java.util.regex.Pattern.quote(defaultCell) + " \\|");
        }
    }
}
