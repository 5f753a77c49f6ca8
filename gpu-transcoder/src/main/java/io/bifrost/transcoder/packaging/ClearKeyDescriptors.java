package io.bifrost.transcoder.packaging;

import io.bifrost.transcoder.protection.TitleProtection;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code ContentProtection} descriptors of a ClearKey (CENC) adaptation set. Stateless.
 */
final class ClearKeyDescriptors
{
    /** MPEG Common Encryption scheme (ISO/IEC 23009-1 5.8.5.2). */
    static final String MP4_PROTECTION_SCHEME = "urn:mpeg:dash:mp4protection:2011";
    /** The W3C ClearKey key system's DASH scheme (DASH-IF IOP, W3C EME ClearKey). */
    static final String CLEARKEY_SCHEME = "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e";
    /** System id of the W3C common 'pssh' format, which lists key ids (W3C "cenc" Initialization Data Format). */
    private static final byte[] COMMON_SYSTEM_ID = HexFormat.of().parseHex("1077efecc0b24d02ace33c1e52e2fb4b");

    private ClearKeyDescriptors()
    {
    }

    static void append(final StringBuilder xml, final TitleProtection protection)
    {
        xml.append("      <ContentProtection schemeIdUri=\"").append(MP4_PROTECTION_SCHEME)
            .append("\" value=\"cenc\" cenc:default_KID=\"").append(protection.key().kidUuid()).append("\"/>\n");
        xml.append("      <ContentProtection schemeIdUri=\"").append(CLEARKEY_SCHEME)
            .append("\" value=\"ClearKey1.0\">\n");
        xml.append("        <dashif:Laurl>").append(DashManifestWriter.escape(protection.licenseUrl()))
            .append("</dashif:Laurl>\n");
        xml.append("        <cenc:pssh>").append(Base64.getEncoder().encodeToString(pssh(protection.key().kid())))
            .append("</cenc:pssh>\n");
        xml.append("      </ContentProtection>\n");
    }

    /**
     * @param kid the key id.
     * @return a version 1 'pssh' box of the common system listing the key id (ISO/IEC 23001-7 8.1).
     */
    static byte[] pssh(final byte[] kid)
    {
        final int size = 8 + 4 + 16 + 4 + 16 + 4;
        return ByteBuffer.allocate(size)
            .putInt(size).put((byte)'p').put((byte)'s').put((byte)'s').put((byte)'h')
            .putInt(0x01000000)
            .put(COMMON_SYSTEM_ID)
            .putInt(1).put(kid)
            .putInt(0)
            .array();
    }
}
