/**
 * Keys of protected VOD titles (AES-128 HLS, ClearKey CENC DASH): {@link io.bifrost.origin.keys.TitleKeyStore} keeps
 * one durable key per title in the store's unserved metadata family, {@link io.bifrost.origin.keys.TitleProtections}
 * tells the transcode workers how to package a title, and {@link io.bifrost.origin.keys.KeyEndpoints} answers
 * players' key and licence requests with raw bodies and {@code Cache-Control: private, no-store}.
 * <p>
 * Wiring (one place each): {@code OriginNode.launch} creates the store's {@code TitleKeyStore}, registers
 * {@code catalog.onDeleted(keys::shred)}, passes {@code new TitleProtections(catalog, keys,
 * context.defaultProtection(), context.publicBaseUrl())} to the transcode workers (the
 * {@code TranscodeJobAgent} constructor's {@code protections}) and a {@code KeyEndpoints} to the request handler,
 * which asks it before its API router for every {@code /api/} path; {@code CatalogUploads} passes the tus metadata
 * value {@code protection} to {@code VideoMetadata}.
 * <p>
 * Neither scheme is DRM: the key reaches the player in the clear, so it is exactly as protected as the key URL.
 */
package io.bifrost.origin.keys;
