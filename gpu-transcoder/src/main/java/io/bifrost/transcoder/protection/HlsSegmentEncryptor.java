package io.bifrost.transcoder.protection;

import io.bifrost.transcoder.packaging.MediaPlaylistParser;
import io.bifrost.transcoder.packaging.MediaSegment;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * HLS {@code METHOD=AES-128} (RFC 8216 section 5.2) for one packaged rendition: each media segment is encrypted whole
 * with AES-128-CBC and PKCS#7 padding, its IV the segment's media sequence number as a 128-bit big-endian integer
 * (the IV the RFC implies when {@code EXT-X-KEY} has no {@code IV} attribute), and the media playlist gets one
 * {@code #EXT-X-KEY:METHOD=AES-128,URI="..."} line right after its {@code EXT-X-MAP}.
 * <p>
 * The initialisation segment stays clear: an {@code EXT-X-KEY} applies only to the Media Initialization Sections
 * whose {@code EXT-X-MAP} follows it (RFC 8216 section 4.3.2.4), and an init segment holds codec setup, never
 * samples. Works in place on a rendition folder that ffmpeg wrote (segments {@code {msn}.m4s} from the playlist's
 * first media sequence number); not idempotent, so run it once per packaging (a redone job starts from fresh files).
 * Stateless and thread-safe.
 */
public final class HlsSegmentEncryptor
{
    /** Tag that carries the key (RFC 8216 section 4.3.2.4). */
    static final String KEY_TAG = "#EXT-X-KEY:";
    private static final String MAP_TAG = "#EXT-X-MAP:";
    private static final String SEQUENCE_TAG = "#EXT-X-MEDIA-SEQUENCE:";
    private static final String ENCRYPTED_SUFFIX = ".enc";

    private HlsSegmentEncryptor()
    {
    }

    /**
     * Encrypt every segment the rendition's playlist lists and add the key tag to the playlist.
     *
     * @param renditionDir  the rendition folder.
     * @param mediaPlaylist the playlist file name in it.
     * @param key           the title key.
     * @param keyUri        the key URI written into the playlist.
     * @throws IOException              when a file cannot be read or written.
     * @throws IllegalArgumentException when the playlist is malformed or already names a key.
     */
    public static void encryptRendition(final Path renditionDir, final String mediaPlaylist, final TitleKey key,
        final String keyUri) throws IOException
    {
        final Path playlistFile = renditionDir.resolve(mediaPlaylist);
        final String playlist = Files.readString(playlistFile, StandardCharsets.UTF_8);
        final List<MediaSegment> segments = MediaPlaylistParser.parse(playlist);
        final long firstSequence = firstSequence(playlist);
        for (int i = 0; i < segments.size(); i++)
        {
            final Path segment = renditionDir.resolve(segments.get(i).uri());
            final Path encrypted = segment.resolveSibling(segment.getFileName() + ENCRYPTED_SUFFIX);
            Files.write(encrypted, encrypt(Files.readAllBytes(segment), key, firstSequence + i));
            Files.move(encrypted, segment, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.writeString(playlistFile, withKeyTag(playlist, keyUri), StandardCharsets.UTF_8);
    }

    /**
     * @param plain          a whole segment.
     * @param key            the key.
     * @param sequenceNumber the segment's media sequence number (its IV).
     * @return the AES-128-CBC, PKCS#7-padded ciphertext.
     */
    public static byte[] encrypt(final byte[] plain, final TitleKey key, final long sequenceNumber)
    {
        return crypt(Cipher.ENCRYPT_MODE, plain, key, sequenceNumber);
    }

    /**
     * @param encrypted      a segment {@link #encrypt} wrote.
     * @param key            the key.
     * @param sequenceNumber its media sequence number.
     * @return the clear segment.
     * @throws IllegalArgumentException when the key or IV is wrong (bad padding).
     */
    public static byte[] decrypt(final byte[] encrypted, final TitleKey key, final long sequenceNumber)
    {
        return crypt(Cipher.DECRYPT_MODE, encrypted, key, sequenceNumber);
    }

    /**
     * @param sequenceNumber a media sequence number.
     * @return the implicit IV of RFC 8216 section 5.2: the number as a 16-byte big-endian integer.
     */
    public static byte[] sequenceIv(final long sequenceNumber)
    {
        return ByteBuffer.allocate(TitleKey.LENGTH).putLong(8, sequenceNumber).array();
    }

    /**
     * @param playlist a media playlist without a key tag.
     * @param keyUri   the key URI.
     * @return the playlist with the key tag after the {@code EXT-X-MAP} line (or before the first segment).
     */
    static String withKeyTag(final String playlist, final String keyUri)
    {
        if (playlist.contains(KEY_TAG))
        {
            throw new IllegalArgumentException("the media playlist already names a key");
        }
        final String tag = KEY_TAG + "METHOD=AES-128,URI=\"" + keyUri + "\"\n";
        final int map = playlist.indexOf(MAP_TAG);
        final int at = map >= 0 ? playlist.indexOf('\n', map) + 1 : playlist.indexOf("#EXTINF:");
        if (at <= 0)
        {
            throw new IllegalArgumentException("the media playlist has no segment to encrypt");
        }
        return playlist.substring(0, at) + tag + playlist.substring(at);
    }

    private static long firstSequence(final String playlist)
    {
        final int tag = playlist.indexOf(SEQUENCE_TAG);
        if (tag < 0)
        {
            return 0;
        }
        final int start = tag + SEQUENCE_TAG.length();
        int end = playlist.indexOf('\n', start);
        end = end < 0 ? playlist.length() : end;
        try
        {
            final long value = Long.parseLong(playlist.substring(start, end).strip());
            if (value < 0)
            {
                throw new IllegalArgumentException("negative EXT-X-MEDIA-SEQUENCE");
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("EXT-X-MEDIA-SEQUENCE is not a number", ex);
        }
    }

    private static byte[] crypt(final int mode, final byte[] input, final TitleKey key, final long sequenceNumber)
    {
        try
        {
            final Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key.key(), "AES"), new IvParameterSpec(sequenceIv(sequenceNumber)));
            return cipher.doFinal(input);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("AES-128-CBC " + (mode == Cipher.ENCRYPT_MODE ? "encryption" :
                "decryption") + " failed: " + ex.getMessage(), ex);
        }
    }
}
