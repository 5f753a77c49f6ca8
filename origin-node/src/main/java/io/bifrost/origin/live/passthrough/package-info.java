/**
 * Passthrough: FLV H.264/AAC remuxed to CMAF in Java without ffmpeg (init segment from the sequence headers, one
 * {@code moof}+{@code mdat} per part), with defensive parsers for the decoder configurations a publisher sends.
 */
package io.bifrost.origin.live.passthrough;
