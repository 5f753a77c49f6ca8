package io.bifrost.edge.player;

import java.util.Locale;

/**
 * Why a QoE beacon was refused; each is answered with a 400 (413 for {@link #TOO_LARGE}) and counted as
 * {@code bifrost.edge.player.beacons.rejected{reason}}.
 */
public enum BeaconRejection implements BeaconParse
{
    /** The body is longer than {@link QoeBeaconParser#MAX_BODY_BYTES}. */
    TOO_LARGE("the beacon is larger than " + QoeBeaconParser.MAX_BODY_BYTES + " bytes"),
    /** Not one well-formed JSON object (syntax, duplicate keys, bytes after the object, too deep, too long). */
    MALFORMED("the beacon is not one well-formed JSON object"),
    /** A field this version does not define. */
    UNKNOWN_FIELD("the beacon has a field that version 1 does not define"),
    /** A required field is absent. */
    MISSING_FIELD("the beacon lacks a required field"),
    /** A field has the wrong type or is out of range. */
    BAD_VALUE("a beacon field has the wrong type or is out of range"),
    /** {@code v} is not 1. */
    BAD_VERSION("only beacon version 1 is understood");

    private final String message;
    private final String code;

    BeaconRejection(final String message)
    {
        this.message = message;
        this.code = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @return the metrics tag and error code, e.g. {@code too-large}.
     */
    public String code()
    {
        return code;
    }

    /**
     * @return one sentence for the 400 body.
     */
    public String message()
    {
        return message;
    }
}
