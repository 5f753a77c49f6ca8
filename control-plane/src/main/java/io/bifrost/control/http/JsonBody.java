package io.bifrost.control.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Set;

/**
 * Typed, validated access to the fields of a JSON request object. Every accessor either returns a value of the
 * expected type or throws a 400 {@link ApiException} with the code the caller names, so a decoder reads as a list of
 * fields. A field that is absent and one that is JSON {@code null} are the same: not given. Not thread-safe (one
 * request's decoding).
 */
public final class JsonBody
{
    private final ObjectNode node;

    private JsonBody(final ObjectNode node)
    {
        this.node = node;
    }

    /**
     * @param body          the request body.
     * @param allowedFields the field names the endpoint knows; null accepts any (forward-compatible internal calls).
     * @param invalidCode   the code for a body that is not a JSON object or names an unknown field.
     * @return the fields.
     * @throws ApiException 400 when the body is not one JSON object or has a field outside {@code allowedFields}.
     */
    public static JsonBody parse(final byte[] body, final Set<String> allowedFields, final String invalidCode)
    {
        final ObjectNode node = ApiJson.readObject(body, invalidCode);
        if (allowedFields != null)
        {
            for (final Iterator<String> names = node.fieldNames(); names.hasNext(); )
            {
                final String name = names.next();
                if (!allowedFields.contains(name))
                {
                    throw ApiException.badRequest(invalidCode, "unknown field '" + abbreviate(name) + "'; known fields: " +
                        String.join(", ", allowedFields.stream().sorted().toList()));
                }
            }
        }
        return new JsonBody(node);
    }

    /**
     * @param field the field name.
     * @param code  the error code when the field is present but not a string.
     * @return the string, or null when absent or null.
     */
    public String optionalText(final String field, final String code)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isTextual())
        {
            throw ApiException.badRequest(code, "'" + field + "' must be a string");
        }
        return value.textValue();
    }

    /**
     * @param field the field name.
     * @param code  the error code when the field is absent, null or not a string.
     * @return the string.
     */
    public String requiredText(final String field, final String code)
    {
        final String value = optionalText(field, code);
        if (value == null)
        {
            throw ApiException.badRequest(code, "'" + field + "' is required");
        }
        return value;
    }

    /**
     * @param field the field name.
     * @param code  the error code when the field is present but not an integer that fits 32 bits.
     * @return the integer, or null when absent or null.
     */
    public Integer optionalInt(final String field, final String code)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt())
        {
            throw ApiException.badRequest(code, "'" + field + "' must be a whole number between " + Integer.MIN_VALUE +
                " and " + Integer.MAX_VALUE);
        }
        return value.intValue();
    }

    /**
     * @param field the field name.
     * @param code  the error code when the field is present but not a boolean.
     * @return the boolean, or null when absent or null.
     */
    public Boolean optionalBoolean(final String field, final String code)
    {
        final JsonNode value = node.get(field);
        if (value == null || value.isNull())
        {
            return null;
        }
        if (!value.isBoolean())
        {
            throw ApiException.badRequest(code, "'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    /**
     * @param text any caller-supplied text.
     * @return at most 64 code points of it, for error messages, with control characters and unpaired surrogates
     * (which JSON escapes can smuggle in and no UTF-8 writer accepts) shown as {@code ?}.
     */
    public static String abbreviate(final String text)
    {
        final StringBuilder shown = new StringBuilder(Math.min(text.length(), 70));
        final int[] codePoints = text.codePoints().limit(65).toArray();
        for (int i = 0; i < Math.min(codePoints.length, 64); i++)
        {
            final int cp = codePoints[i];
            final boolean unprintable = Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE;
            shown.appendCodePoint(unprintable ? '?' : cp);
        }
        return codePoints.length > 64 ? shown + "..." : shown.toString();
    }
}
