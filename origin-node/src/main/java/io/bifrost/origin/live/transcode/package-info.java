/**
 * The live transcoder: one ffmpeg per stream, FLV on stdin, the ladder and AAC audio out as CMAF fragmented MP4
 * through named pipes, one reader thread per rendition feeding the packager.
 */
package io.bifrost.origin.live.transcode;
