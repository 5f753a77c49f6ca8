/**
 * HTTP value types every Bifrost HTTP server answers the same way (edge and origin).
 */
package io.bifrost.protocol.http;
