package io.bifrost.control.stream;

import java.util.Locale;

/**
 * Who may find a stream (the seed's {@code privacy}): listed publicly, reachable by link only, or private to its owner.
 * Stored and returned; playback access control by privacy arrives with signed playback URLs (issue #7).
 */
public enum Privacy
{
    PUBLIC, UNLISTED, PRIVATE;

    /**
     * @return the lower-case name used in the API and the database.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param label a lower-case name.
     * @return the privacy, or null when the label names none.
     */
    public static Privacy fromLabel(final String label)
    {
        for (final Privacy privacy : values())
        {
            if (privacy.label().equals(label))
            {
                return privacy;
            }
        }
        return null;
    }
}
