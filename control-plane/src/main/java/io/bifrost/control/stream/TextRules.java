package io.bifrost.control.stream;

/**
 * What free text from the API may contain before it is stored: a bounded number of Unicode code points, no control
 * characters (line breaks and tabs only where multi-line text is allowed), and no unpaired surrogates (which JSON
 * escapes can carry, and which neither UTF-8 nor PostgreSQL can store). Stateless.
 */
final class TextRules
{
    private TextRules()
    {
    }

    /**
     * @param text          the text.
     * @param maxCodePoints the most code points allowed.
     * @param multiLine     whether {@code \n}, {@code \r} and {@code \t} are allowed.
     * @return null when acceptable, else what is wrong with it.
     */
    static String problem(final String text, final int maxCodePoints, final boolean multiLine)
    {
        int count = 0;
        for (int i = 0; i < text.length(); )
        {
            final int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (++count > maxCodePoints)
            {
                return "is longer than " + maxCodePoints + " characters";
            }
            if (Character.getType(cp) == Character.SURROGATE)
            {
                return "contains an unpaired UTF-16 surrogate";
            }
            if (Character.isISOControl(cp) && !(multiLine && (cp == '\n' || cp == '\r' || cp == '\t')))
            {
                return "contains control character U+" + String.format("%04X", cp);
            }
        }
        return null;
    }
}
