/**
 * Where content should be before viewers ask: popularity scoring ({@link io.bifrost.control.placement.PopularityScore},
 * the product brief's formula), rendezvous hashing of contents onto edges
 * ({@link io.bifrost.control.placement.RendezvousHash}, shared with steering), and the
 * {@link io.bifrost.control.placement.PlacementPlanner}, which runs a
 * {@link io.bifrost.control.placement.PlacementPolicy} ({@code seed} or {@code surge}) once a round over the demand the
 * control plane aggregates from edge telemetry and turns its proposal into PREFETCH / PIN / RELEASE decisions (the
 * fields of the SBE {@code PlacementCommand}) and replica sets for steering. Pure algorithms: no I/O, no clock, no
 * threads; the control plane's placement loop owns the inputs and sends the commands. Evaluated by
 * {@code io.bifrost.perf.placement.PlacementSimulation}. The one part with I/O is the score's age input,
 * {@link io.bifrost.control.placement.ContentAges} (first sightings in the control plane's database, live sessions from
 * the stream registry, publication times from the origin's catalog), which the placement loop asks once a round.
 */
package io.bifrost.control.placement;
