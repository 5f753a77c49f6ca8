package io.bifrost.control.stream;

import io.bifrost.control.http.ApiException;
import io.bifrost.control.http.JsonBody;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * A validated {@code POST /api/v1/streams/create} body (the seed's fields, plus {@code passthrough}).
 *
 * @param title          1-200 characters, not blank, no control characters.
 * @param description    at most 5000 characters (line breaks allowed), or null.
 * @param categoryId     0 or more, or null.
 * @param scheduledStart an ISO-8601 date-time with offset (e.g. {@code 2024-01-15T20:00:00Z}) in years 1970-9999, or
 *                       null.
 * @param privacy        public (default), unlisted or private.
 * @param passthrough    package the published stream as is instead of transcoding it (default false).
 */
public record NewStream(
    String title, String description, Integer categoryId, Instant scheduledStart, Privacy privacy, boolean passthrough)
{
    /** Most characters in a title. */
    public static final int MAX_TITLE = 200;
    /** Most characters in a description. */
    public static final int MAX_DESCRIPTION = 5000;

    private static final Set<String> FIELDS = Set.of(
        "title", "description", "category_id", "scheduled_start", "privacy", "passthrough");
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * @param body the request body.
     * @return the validated request.
     * @throws ApiException 400: {@code request.invalid} (not a JSON object, unknown field), {@code title.invalid},
     *                      {@code description.invalid}, {@code category_id.invalid}, {@code scheduled_start.invalid},
     *                      {@code privacy.invalid}, {@code passthrough.invalid}.
     */
    public static NewStream fromJson(final byte[] body)
    {
        final JsonBody json = JsonBody.parse(body, FIELDS, "request.invalid");
        final String title = json.requiredText("title", "title.invalid");
        final String titleProblem = title.isBlank() ? "is blank" : TextRules.problem(title, MAX_TITLE, false);
        if (titleProblem != null)
        {
            throw ApiException.badRequest("title.invalid", "'title' " + titleProblem + "; give 1-" + MAX_TITLE +
                " characters on one line");
        }
        final String description = json.optionalText("description", "description.invalid");
        final String descriptionProblem = description == null ? null : TextRules.problem(description, MAX_DESCRIPTION, true);
        if (descriptionProblem != null)
        {
            throw ApiException.badRequest("description.invalid", "'description' " + descriptionProblem + "; give at most " +
                MAX_DESCRIPTION + " characters");
        }
        final Integer categoryId = json.optionalInt("category_id", "category_id.invalid");
        if (categoryId != null && categoryId < 0)
        {
            throw ApiException.badRequest("category_id.invalid", "'category_id' must be 0 or more");
        }
        final String privacyLabel = json.optionalText("privacy", "privacy.invalid");
        final Privacy privacy = privacyLabel == null ? Privacy.PUBLIC : Privacy.fromLabel(privacyLabel);
        if (privacy == null)
        {
            throw ApiException.badRequest("privacy.invalid", "'privacy' must be public, unlisted or private");
        }
        final Boolean passthrough = json.optionalBoolean("passthrough", "passthrough.invalid");
        return new NewStream(title, description, categoryId,
            scheduledStart(json.optionalText("scheduled_start", "scheduled_start.invalid")), privacy,
            passthrough != null && passthrough);
    }

    private static Instant scheduledStart(final String text)
    {
        if (text == null)
        {
            return null;
        }
        final Instant instant;
        try
        {
            instant = text.length() > 64 ? null : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (final DateTimeParseException ex)
        {
            throw invalidStart();
        }
        if (instant == null || instant.isBefore(EARLIEST) || instant.isAfter(LATEST))
        {
            throw invalidStart();
        }
        return instant;
    }

    private static ApiException invalidStart()
    {
        return ApiException.badRequest("scheduled_start.invalid", "'scheduled_start' must be an ISO-8601 date-time " +
            "with an offset between 1970 and 9999, e.g. 2024-01-15T20:00:00Z");
    }
}
