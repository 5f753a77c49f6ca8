package io.bifrost.control.signing;

import java.util.Locale;

/**
 * Where a signing key is in its life: {@link #CURRENT} signs new playback URLs, {@link #ACCEPTED} is verified by the
 * edges but signs nothing, {@link #RETIRED} is still verified until its window ({@code retired_at} +
 * {@code control.playback-url-max-ttl-seconds}) has passed, so no token it signed outlives it.
 */
public enum SigningKeyState
{
    /** Signs new playback URLs; at most one key of the database is current. */
    CURRENT,
    /** Verified by edges, signs nothing. */
    ACCEPTED,
    /** Verified by edges until its window has passed, then dropped. */
    RETIRED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /**
     * @return the lower-case name used in the database and the API.
     */
    public String wireName()
    {
        return wireName;
    }

    /**
     * @param text a stored or wire name.
     * @return the state.
     * @throws IllegalArgumentException when the text names no state.
     */
    public static SigningKeyState fromWireName(final String text)
    {
        for (final SigningKeyState state : values())
        {
            if (state.wireName.equals(text))
            {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown signing key state '" + text + "'");
    }
}
