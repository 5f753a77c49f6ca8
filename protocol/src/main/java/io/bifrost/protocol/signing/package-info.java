/**
 * Signed URLs: HMAC-SHA256 tokens that grant access to every path under a prefix until an expiry, optionally only
 * from one client address, with the key id inside so keys rotate (DESIGN.md section 3). The token format is described
 * on {@link io.bifrost.protocol.signing.UrlToken}.
 */
package io.bifrost.protocol.signing;
