/**
 * Authentication of the messages Bifrost nodes exchange over Aeron (heartbeats, telemetry, placement commands): a
 * fixed trailer after the SBE message that carries the send time, the key id and a truncated HMAC-SHA256, keys shared by
 * the fleet ({@link io.bifrost.protocol.auth.FleetKeys}), and a per-sender replay window. The SBE schema is not changed:
 * the trailer is outside the message, so a receiver that does not authenticate ignores it.
 */
package io.bifrost.protocol.auth;
