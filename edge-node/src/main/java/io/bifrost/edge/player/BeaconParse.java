package io.bifrost.edge.player;

/**
 * What {@link QoeBeaconParser} makes of a request body: a {@link QoeBeacon} or a {@link BeaconRejection}.
 */
public sealed interface BeaconParse permits QoeBeacon, BeaconRejection
{
}
