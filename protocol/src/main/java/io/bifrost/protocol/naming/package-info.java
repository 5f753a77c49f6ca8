/**
 * Content naming: the URL layout that origin and edges serve identically (DESIGN.md section 3), as a typed
 * {@link io.bifrost.protocol.naming.ContentKey} with one canonical path per key, and a strict parser that turns a
 * request path into a key or a {@link io.bifrost.protocol.naming.PathRejection} without throwing.
 */
package io.bifrost.protocol.naming;
