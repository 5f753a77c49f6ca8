/**
 * Signed playback URL issuance: the control plane signs {@code /t/{token}/...} (or {@code ?token=}) URLs (the format of
 * {@link io.bifrost.protocol.signing.UrlToken}) with the current key of its own
 * {@link io.bifrost.protocol.signing.SigningKeyRing}, scoped to one content's folder, on the edge that steering picks
 * for the viewer ({@link io.bifrost.control.playback.PlaybackUrlIssuer}); and shows which keys it holds, without
 * secrets, for key rotation ({@link io.bifrost.control.playback.PlaybackUrlRoutes}). Rotation procedure:
 * docs/control-plane.md, "Signed playback URLs".
 */
package io.bifrost.control.playback;
