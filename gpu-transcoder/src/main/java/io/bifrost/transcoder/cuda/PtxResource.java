package io.bifrost.transcoder.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PTX module shipped on the class path ({@code io/bifrost/transcoder/cuda/{name}.ptx}), generated from
 * {@code src/main/cuda/{name}.cu} by {@code src/main/cuda/build-ptx.sh}, which records the SHA-256 of the source in
 * the first line ({@code // bifrost-source: {name}.cu sha256=...}) so a stale PTX can be detected. Immutable.
 *
 * @param name         module name, e.g. {@code ladder_scale}.
 * @param text         the PTX text.
 * @param sourceSha256 the recorded hex SHA-256 of the {@code .cu} it was built from.
 */
public record PtxResource(String name, String text, String sourceSha256)
{
    /** Largest PTX accepted from the class path. */
    static final int MAX_BYTES = 4 << 20;

    private static final Pattern HEADER = Pattern.compile("\\A// bifrost-source: (\\S+)\\.cu sha256=([0-9a-f]{64})\\n");

    /**
     * @param name module name.
     * @return the module.
     * @throws IllegalStateException when it is missing, too large or has no source header (a broken build).
     */
    public static PtxResource load(final String name)
    {
        final String path = name + ".ptx";
        try (InputStream in = PtxResource.class.getResourceAsStream(path))
        {
            if (in == null)
            {
                throw new IllegalStateException("PTX module missing from the class path: " + path);
            }
            final byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES)
            {
                throw new IllegalStateException("PTX module larger than " + MAX_BYTES + " bytes: " + path);
            }
            final String text = new String(bytes, StandardCharsets.US_ASCII);
            final Matcher header = HEADER.matcher(text);
            if (!header.find() || !header.group(1).equals(name))
            {
                throw new IllegalStateException("PTX module " + path + " lacks its '// bifrost-source: " + name +
                    ".cu sha256=...' header; regenerate it with src/main/cuda/build-ptx.sh");
            }
            return new PtxResource(name, text, header.group(2));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read PTX module " + path, ex);
        }
    }
}
