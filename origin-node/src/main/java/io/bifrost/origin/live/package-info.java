/**
 * The live pipeline at the origin (DESIGN.md section 2, Live): a producer (the live transcoder or the Java passthrough
 * muxer) writes each rendition's fragmented MP4 into a {@link io.bifrost.origin.live.CmafTrackSink}; the packager
 * ({@link io.bifrost.origin.live.LiveStreams}) cuts it into LL-HLS parts and segments, keeps the live window, renders
 * the playlists and the DASH MPD, answers blocking reloads, and tells {@link io.bifrost.origin.live.LiveListener}s
 * (the Aeron publisher to the edges) about every part and window change.
 *
 * <p>Names: segment {@code {epoch}-{msn}.m4s}, part {@code {epoch}-{msn}.{part}.m4s}, init {@code init.mp4} (served
 * with a short Cache-Control, since a new epoch may change it), under {@code /live/{streamId}/{rendition}/}.
 */
package io.bifrost.origin.live;
