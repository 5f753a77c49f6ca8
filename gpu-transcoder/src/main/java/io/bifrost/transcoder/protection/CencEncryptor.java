package io.bifrost.transcoder.protection;

import io.bifrost.transcoder.packaging.MediaPlaylistParser;
import io.bifrost.transcoder.packaging.MediaSegment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.List;

/**
 * ClearKey packaging of one rendition: CENC ('cenc', AES-128 CTR) encryption of its CMAF init segment and every media
 * segment its playlist lists, in place, after ffmpeg wrote them (so the ladder keeps its single decode; ffmpeg's own
 * mp4 muxer cannot encrypt fragmented output). See {@link CencInit} and {@link CencSegment} for the box work. Not
 * idempotent: run once per packaging. Stateless and thread-safe.
 */
public final class CencEncryptor
{
    private static final String ENCRYPTED_SUFFIX = ".enc";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CencEncryptor()
    {
    }

    /**
     * @param renditionDir  the rendition folder.
     * @param mediaPlaylist its playlist file name.
     * @param initSegment   its init segment file name.
     * @param key           the title key.
     * @throws IOException              when a file cannot be read or written.
     * @throws IllegalArgumentException when a file is malformed or its codec is not covered.
     */
    public static void encryptRendition(final Path renditionDir, final String mediaPlaylist, final String initSegment,
        final TitleKey key) throws IOException
    {
        final List<MediaSegment> segments = MediaPlaylistParser.parse(
            Files.readString(renditionDir.resolve(mediaPlaylist), StandardCharsets.UTF_8));
        final Path initFile = renditionDir.resolve(initSegment);
        final CencInit init = CencInit.protect(Files.readAllBytes(initFile), key.kid());
        final CencSegment encryptor = new CencSegment(init, key, RANDOM);
        for (final MediaSegment segment : segments)
        {
            final Path file = renditionDir.resolve(segment.uri());
            try
            {
                replace(file, encryptor.encrypt(Files.readAllBytes(file)));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(renditionDir.getFileName() + "/" + segment.uri() + ": " +
                    ex.getMessage(), ex);
            }
        }
        replace(initFile, init.bytes());
    }

    private static void replace(final Path file, final byte[] bytes) throws IOException
    {
        final Path encrypted = file.resolveSibling(file.getFileName() + ENCRYPTED_SUFFIX);
        Files.write(encrypted, bytes);
        Files.move(encrypted, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
