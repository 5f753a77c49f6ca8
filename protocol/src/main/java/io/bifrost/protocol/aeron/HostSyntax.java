package io.bifrost.protocol.aeron;

/**
 * Syntax checks for the host part of an Aeron endpoint, with no DNS lookup. Anything that passes contains only
 * letters, digits, {@code '-'}, {@code '.'} and {@code ':'}, so it can never inject a parameter into a channel URI
 * ({@code '|'}, {@code '?'}, {@code '='}).
 */
final class HostSyntax
{
    private static final int MAX_HOST_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    private static final int IPV6_GROUPS = 8;

    private HostSyntax()
    {
    }

    /**
     * @param host candidate.
     * @return true for a dotted-quad IPv4 literal, each part 0-255 in decimal without a leading zero.
     */
    static boolean isIpv4Literal(final String host)
    {
        final String[] parts = host.split("\\.", -1);
        if (parts.length != 4)
        {
            return false;
        }

        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !isDigits(part) || (part.length() > 1 && part.charAt(0) == '0'))
            {
                return false;
            }
            if (Integer.parseInt(part) > 255)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param host candidate.
     * @return true for an RFC 1123 host name: dot-separated labels of 1-63 letters, digits or hyphens, no label
     * starting or ending with a hyphen, at most 253 characters, and not all-numeric (a malformed IPv4 literal).
     */
    static boolean isHostName(final String host)
    {
        if (host.isEmpty() || host.length() > MAX_HOST_NAME_LENGTH)
        {
            return false;
        }

        boolean allNumeric = true;
        for (final String label : host.split("\\.", -1))
        {
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH ||
                label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-')
            {
                return false;
            }
            for (int i = 0; i < label.length(); i++)
            {
                final char c = label.charAt(i);
                if (!isAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
            allNumeric &= isDigits(label);
        }
        return !allNumeric;
    }

    /**
     * @param host candidate without brackets.
     * @return true for an RFC 4291 text form: eight groups of 1-4 hex digits, one {@code ::} for a run of zero
     * groups, optionally ending in an IPv4 literal that counts as two groups. Zone ids ({@code %eth0}) are rejected.
     */
    static boolean isIpv6Literal(final String host)
    {
        final int compressed = host.indexOf("::");
        if (compressed >= 0 && host.indexOf("::", compressed + 1) >= 0)
        {
            return false;
        }

        if (compressed < 0)
        {
            return groups(host, true) == IPV6_GROUPS;
        }

        final String head = host.substring(0, compressed);
        final String tail = host.substring(compressed + 2);
        final int headGroups = head.isEmpty() ? 0 : groups(head, false);
        final int tailGroups = tail.isEmpty() ? 0 : groups(tail, true);

        return headGroups >= 0 && tailGroups >= 0 && headGroups + tailGroups < IPV6_GROUPS;
    }

    private static int groups(final String text, final boolean mayEndInIpv4)
    {
        final String[] groups = text.split(":", -1);
        int count = 0;
        for (int i = 0; i < groups.length; i++)
        {
            final String group = groups[i];
            if (mayEndInIpv4 && i == groups.length - 1 && group.indexOf('.') >= 0)
            {
                if (!isIpv4Literal(group))
                {
                    return -1;
                }
                count += 2;
            }
            else if (group.isEmpty() || group.length() > 4 || !isHexDigits(group))
            {
                return -1;
            }
            else
            {
                count++;
            }
        }
        return count;
    }

    private static boolean isDigits(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigits(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(final char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
