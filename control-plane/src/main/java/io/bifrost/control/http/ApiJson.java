package io.bifrost.control.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * The API's JSON: one Jackson mapper with snake_case property names (records such as {@code StreamView(streamId)}
 * serialise as {@code stream_id}), the response envelopes, and bounded request decoding. Thread-safe.
 *
 * <p>Request bodies are read into a tree under tight limits (nesting depth 16, strings 64 KiB, numbers 100 digits,
 * duplicate keys refused, nothing after the value), then checked field by field with {@link JsonBody}, which gives
 * clearer error codes than binding straight into objects would.
 */
public final class ApiJson
{
    /** Deepest nesting a request body may have. */
    static final int MAX_DEPTH = 16;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(64 * 1024)
                .maxNumberLength(100)
                .maxNameLength(1024)
                .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private ApiJson()
    {
    }

    /** The success envelope. */
    record Success(boolean success, Object data)
    {
    }

    /** The error envelope. */
    record Failure(boolean success, Error error)
    {
    }

    /** The error envelope's body. */
    record Error(String code, String message)
    {
    }

    /**
     * @return the shared mapper (snake_case names), for tests and clients that read API answers.
     */
    public static ObjectMapper mapper()
    {
        return MAPPER;
    }

    /**
     * @param data the success payload.
     * @return {@code {"success":true,"data":...}} as UTF-8.
     * @throws IllegalStateException when the payload cannot be serialised (a programming error).
     */
    static byte[] success(final Object data)
    {
        return write(new Success(true, data));
    }

    /**
     * @param code    the error code.
     * @param message the message.
     * @return {@code {"success":false,"error":{"code":..,"message":..}}} as UTF-8.
     */
    static byte[] failure(final String code, final String message)
    {
        return write(new Failure(false, new Error(code, message)));
    }

    private static byte[] write(final Object value)
    {
        try
        {
            return MAPPER.writeValueAsBytes(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), ex);
        }
    }

    /**
     * Read a request body that must be one JSON object.
     *
     * @param body        the body bytes (already bounded by the server's body limit).
     * @param invalidCode the error code for anything that is not one well-formed JSON object.
     * @return the object.
     * @throws ApiException 400 with {@code invalidCode} when the body is empty, not JSON, not an object, too deep,
     *                      has duplicate keys or has anything after the object.
     */
    public static ObjectNode readObject(final byte[] body, final String invalidCode)
    {
        if (body.length == 0)
        {
            throw ApiException.badRequest(invalidCode, "the request body must be a JSON object, and it is empty");
        }
        final JsonNode node;
        try
        {
            node = MAPPER.readTree(body);
        }
        catch (final JsonProcessingException ex)
        {
            throw ApiException.badRequest(invalidCode, "the request body is not valid JSON: " + firstLine(ex.getOriginalMessage()));
        }
        catch (final IOException ex)
        {
            throw ApiException.badRequest(invalidCode, "the request body cannot be read: " + firstLine(ex.getMessage()));
        }
        if (node == null || !node.isObject())
        {
            throw ApiException.badRequest(invalidCode, "the request body must be a JSON object");
        }
        return (ObjectNode)node;
    }

    private static String firstLine(final String message)
    {
        if (message == null)
        {
            return "unreadable";
        }
        final int newline = message.indexOf('\n');
        final String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
