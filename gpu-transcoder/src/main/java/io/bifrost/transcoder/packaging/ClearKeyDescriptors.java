package io.bifrost.transcoder.packaging;

import io.bifrost.transcoder.protection.TitleProtection;


/**
 * The {@code ContentProtection} descriptors of a ClearKey (CENC) adaptation set. No {@code cenc:pssh} here: dash.js
 * looks for a pssh of the ClearKey system id, which Chromium's CDM does not read, and fails; without one, players build
 * {@code keyids} init data from {@code cenc:default_KID}, and the init segment's common-system pssh serves the rest.
 * Stateless.
 */
final class ClearKeyDescriptors
{
    /** MPEG Common Encryption scheme (ISO/IEC 23009-1 5.8.5.2). */
    static final String MP4_PROTECTION_SCHEME = "urn:mpeg:dash:mp4protection:2011";
    /** The W3C ClearKey key system's DASH scheme (DASH-IF IOP, W3C EME ClearKey). */
    static final String CLEARKEY_SCHEME = "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e";

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
        xml.append("      </ContentProtection>\n");
    }
}
