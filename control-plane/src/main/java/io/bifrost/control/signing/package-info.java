/**
 * Playback URL signing keys kept by the control plane: created, made current and retired through the operator API,
 * stored in the control plane's database, merged with the configured {@code control.signing-keys}, used to sign
 * playback URLs and pushed to the edges (sealed under the fleet keys) so they verify them without a restart.
 */
package io.bifrost.control.signing;
