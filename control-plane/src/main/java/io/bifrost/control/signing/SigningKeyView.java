package io.bifrost.control.signing;

/**
 * One signing key as the operator API shows it: never its secret.
 *
 * @param kid           the key id (public; written into every token it signs).
 * @param signs         true for the key new playback URLs are signed with.
 * @param source        {@code config} ({@code control.signing-keys}; changed only in the configuration) or {@code api}
 *                      (created through the API, stored in the database, pushed to edges).
 * @param state         {@code current}, {@code accepted} or {@code retired} (config keys: current or accepted).
 * @param createdAt     when an API key was created (ISO-8601), null for config keys.
 * @param retiredAt     when an API key was retired (ISO-8601), null otherwise.
 * @param acceptedUntil until when edges accept tokens signed with a retired key (ISO-8601), null otherwise.
 */
public record SigningKeyView(
    String kid, boolean signs, String source, String state, String createdAt, String retiredAt, String acceptedUntil)
{
}
