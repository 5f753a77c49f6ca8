package io.bifrost.perf.codec;

import io.bifrost.protocol.auth.FleetKeys;
import io.bifrost.protocol.auth.SequencedAuthenticator;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of authenticating live replication with fleet keys ({@code origin.fleet-keys}): the origin signs each part
 * ({@link SequencedAuthenticator#sign}: sender id, sequence, HMAC-SHA256 over the whole message) and every edge
 * verifies it, for the part sizes a 0.33-0.5 s part has across the ladder (240p ~30 KiB, 1080p ~500 KiB, the 2 MiB
 * limit). The MAC reads every payload byte once, so the cost grows with the part; compare with
 * {@link LivePartCodecBenchmark} (the framing copy) to see what authentication adds per part.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LiveAuthenticationBenchmark
{
    @Param({"1024", "32768", "524288", "2097152"})
    public int messageBytes;

    private final FleetKeys keys = FleetKeys.parse(
        "live1:" + Base64.getUrlEncoder().encodeToString("thirty-two bytes of fleet secret".getBytes()), "bench");
    private final SequencedAuthenticator origin = new SequencedAuthenticator(keys);
    private final SequencedAuthenticator edge = new SequencedAuthenticator(keys);
    private UnsafeBuffer frame;
    private long nowMs;

    @Setup
    public void setUp()
    {
        frame = new UnsafeBuffer(ByteBuffer.allocateDirect(messageBytes + SequencedAuthenticator.OVERHEAD));
        final byte[] bytes = new byte[messageBytes];
        ThreadLocalRandom.current().nextBytes(bytes);
        frame.putBytes(0, bytes);
        nowMs = System.currentTimeMillis();
    }

    /**
     * The origin's side: sign one message in place.
     *
     * @return the signed length.
     */
    @Benchmark
    public int sign()
    {
        return origin.sign(frame, 0, messageBytes, nowMs);
    }

    /**
     * Both sides, as one part costs the fleet: the origin signs, an edge verifies (MAC and sequence).
     *
     * @return the verdict.
     */
    @Benchmark
    public SequencedAuthenticator.Verdict signAndVerify()
    {
        final int length = origin.sign(frame, 0, messageBytes, nowMs);
        return edge.verify(frame, 0, length, nowMs);
    }
}
