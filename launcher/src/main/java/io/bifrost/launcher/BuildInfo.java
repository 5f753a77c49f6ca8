package io.bifrost.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Facts about this build, read from resources that Maven filtered: the version and the JVM flags list.
 */
public final class BuildInfo
{
    /** Classpath resource holding the JVM flags, one line, generated from the parent POM. */
    public static final String JVM_OPTIONS_RESOURCE = "/io/bifrost/launcher/bifrost-jvm.options";

    private BuildInfo()
    {
    }

    /**
     * @return the project version, e.g. 0.1.0-SNAPSHOT.
     */
    public static String version()
    {
        final Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/bifrost/launcher/build-info.properties"))
        {
            if (in == null)
            {
                return "unknown";
            }
            properties.load(in);
            return properties.getProperty("version", "unknown");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return the JVM flags every Bifrost JVM is started with (comments and blank lines removed).
     */
    public static List<String> jvmFlags()
    {
        try (InputStream in = BuildInfo.class.getResourceAsStream(JVM_OPTIONS_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException(JVM_OPTIONS_RESOURCE + " missing from the class path; rebuild the launcher");
            }
            final List<String> flags = new ArrayList<>();
            for (final String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n"))
            {
                final String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#"))
                {
                    flags.addAll(List.of(trimmed.split("\\s+")));
                }
            }
            return List.copyOf(flags);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
