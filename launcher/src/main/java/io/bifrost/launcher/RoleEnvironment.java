package io.bifrost.launcher;

import io.bifrost.protocol.node.NettyTransport;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/**
 * What the process gives every role besides its configuration: the one metrics registry, its Prometheus text (for
 * {@code /metrics} on role ports), and the Netty transport chosen once for the process.
 *
 * @param registry    process meter registry.
 * @param metricsText Prometheus exposition of {@code registry}.
 * @param transport   Netty transport for every server and client.
 */
public record RoleEnvironment(MeterRegistry registry, Supplier<String> metricsText, NettyTransport transport)
{
}
