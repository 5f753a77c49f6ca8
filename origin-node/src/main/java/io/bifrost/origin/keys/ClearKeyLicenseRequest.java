package io.bifrost.origin.keys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A W3C ClearKey licence request (Encrypted Media Extensions, section 9.1.3): {@code {"kids":["base64url",...],
 * "type":"temporary"}}, parsed strictly from untrusted bytes. At most {@value #MAX_BODY_BYTES} bytes and
 * {@value #MAX_KIDS} key ids; each key id is unpadded base64url of exactly 16 bytes; {@code type} is
 * {@code temporary} or {@code persistent-license} (default {@code temporary}); any other member, a duplicate, or
 * trailing content is refused. Streams with Jackson's parser (no tree), so a hostile body costs at most its bounded
 * size. Immutable.
 *
 * @param kids the key ids asked for, 16 bytes each, in request order.
 * @param type the session type to echo in the licence.
 */
public record ClearKeyLicenseRequest(List<byte[]> kids, String type)
{
    /** Largest body accepted. */
    public static final int MAX_BODY_BYTES = 4096;
    /** Most key ids in one request. */
    public static final int MAX_KIDS = 16;
    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxStringLength(1024).build())
        .build();

    /** A request that cannot be answered, with the reason. */
    public static final class Malformed extends Exception
    {
        private static final long serialVersionUID = 1L;

        Malformed(final String message)
        {
            super(message, null, false, false);
        }
    }

    /**
     * @param body the request body.
     * @return the request.
     * @throws Malformed with a reason a client can act on.
     */
    public static ClearKeyLicenseRequest parse(final byte[] body) throws Malformed
    {
        if (body == null || body.length == 0)
        {
            throw new Malformed("the licence request is empty");
        }
        if (body.length > MAX_BODY_BYTES)
        {
            throw new Malformed("the licence request is over " + MAX_BODY_BYTES + " bytes");
        }
        try (JsonParser parser = JSON.createParser(body))
        {
            if (parser.nextToken() != JsonToken.START_OBJECT)
            {
                throw new Malformed("the licence request must be a JSON object");
            }
            List<byte[]> kids = null;
            String type = null;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken())
            {
                if (token != JsonToken.FIELD_NAME)
                {
                    throw new Malformed("malformed licence request");
                }
                final String name = parser.currentName();
                parser.nextToken();
                switch (name)
                {
                    case "kids" ->
                    {
                        if (kids != null)
                        {
                            throw new Malformed("kids appears twice");
                        }
                        kids = kids(parser);
                    }
                    case "type" ->
                    {
                        if (type != null || parser.currentToken() != JsonToken.VALUE_STRING)
                        {
                            throw new Malformed("type must be one string");
                        }
                        type = parser.getText();
                        if (!"temporary".equals(type) && !"persistent-license".equals(type))
                        {
                            throw new Malformed("type must be temporary or persistent-license");
                        }
                    }
                    default -> throw new Malformed("unknown member in the licence request");
                }
            }
            if (parser.nextToken() != null)
            {
                throw new Malformed("content after the licence request");
            }
            if (kids == null || kids.isEmpty())
            {
                throw new Malformed("the licence request names no kids");
            }
            return new ClearKeyLicenseRequest(List.copyOf(kids), type == null ? "temporary" : type);
        }
        catch (final IOException ex)
        {
            throw new Malformed("the licence request is not valid JSON");
        }
    }

    private static List<byte[]> kids(final JsonParser parser) throws IOException, Malformed
    {
        if (parser.currentToken() != JsonToken.START_ARRAY)
        {
            throw new Malformed("kids must be an array");
        }
        final List<byte[]> kids = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken())
        {
            if (token != JsonToken.VALUE_STRING)
            {
                throw new Malformed("kids must hold strings");
            }
            if (kids.size() == MAX_KIDS)
            {
                throw new Malformed("more than " + MAX_KIDS + " kids");
            }
            kids.add(kid(parser.getText()));
        }
        return kids;
    }

    private static byte[] kid(final String text) throws Malformed
    {
        if (text.length() != 22)
        {
            throw new Malformed("a kid is 16 bytes as 22 unpadded base64url characters");
        }
        try
        {
            return Base64.getUrlDecoder().decode(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new Malformed("a kid is not base64url");
        }
    }
}
