package io.bifrost.origin.keys;

import io.bifrost.origin.catalog.KeyPaths;
import io.bifrost.origin.catalog.VideoCatalog;
import io.bifrost.origin.catalog.VideoRecord;
import io.bifrost.transcoder.protection.ContentProtection;
import io.bifrost.transcoder.protection.TitleProtection;

import java.util.function.Function;

/**
 * What the transcode worker asks when a job starts: the title's protection, from the creator's upload metadata
 * ({@code protection}) or the origin default, with the title's key (created on first use) and the URLs players get
 * it from. Thread-safe.
 */
public final class TitleProtections implements Function<String, TitleProtection>
{
    private final VideoCatalog catalog;
    private final TitleKeyStore keys;
    private final ContentProtection defaultProtection;
    private final String publicBaseUrl;

    /**
     * @param catalog           the catalog.
     * @param keys              the key store.
     * @param defaultProtection protection of titles whose upload named none ({@code origin.default-protection}).
     * @param publicBaseUrl     the origin's public URL prefix of key URLs (empty: absolute paths on the same host).
     */
    public TitleProtections(final VideoCatalog catalog, final TitleKeyStore keys,
        final ContentProtection defaultProtection, final String publicBaseUrl)
    {
        this.catalog = catalog;
        this.keys = keys;
        this.defaultProtection = defaultProtection;
        this.publicBaseUrl = publicBaseUrl == null ? "" : publicBaseUrl;
    }

    /**
     * @param videoId a title.
     * @return the scheme it is (to be) packaged with.
     */
    public ContentProtection schemeOf(final String videoId)
    {
        final VideoRecord record = catalog.find(videoId);
        final String chosen = record == null ? null : record.metadata().protection();
        return chosen == null ? defaultProtection : ContentProtection.parse(chosen);
    }

    @Override
    public TitleProtection apply(final String videoId)
    {
        return switch (schemeOf(videoId))
        {
            case NONE -> TitleProtection.NONE;
            case AES_128 -> TitleProtection.aes128(keys.keyOf(videoId), publicBaseUrl +
                KeyPaths.hlsKey(videoId));
            case CLEARKEY -> TitleProtection.clearKey(keys.keyOf(videoId), publicBaseUrl +
                KeyPaths.clearKeyLicense(videoId));
        };
    }
}
