package io.bifrost.perf.codec;

import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.LivePartEncoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
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
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of framing one live part (origin side) and reading it back (edge side) with the SBE codecs, for the part sizes
 * a 0.33-0.5 s part has across the ladder (240p ~30 KiB, 1080p ~500 KiB). The payload copy dominates at large sizes;
 * the fixed cost shows at small ones. {@link #copyPayloadOnly()} is the anchor: a bare copy of the payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LivePartCodecBenchmark
{
    @Param({"1024", "32768", "524288"})
    public int payloadBytes;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final LivePartEncoder encoder = new LivePartEncoder();
    private final LivePartDecoder decoder = new LivePartDecoder();
    private UnsafeBuffer payload;
    private UnsafeBuffer frame;
    private UnsafeBuffer received;
    private long msn;

    @Setup
    public void setUp()
    {
        final byte[] bytes = new byte[payloadBytes];
        ThreadLocalRandom.current().nextBytes(bytes);
        payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
        payload.putBytes(0, bytes);
        frame = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes + 256));
        received = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadBytes));
    }

    /**
     * Frame a part: header, fields, names and payload into a direct buffer (what the origin offers to Aeron).
     *
     * @return the frame length.
     */
    @Benchmark
    public int encode()
    {
        encoder.wrapAndApplyHeader(frame, 0, headerEncoder)
            .epoch(1_764_000_000L)
            .msn(++msn)
            .programDateTimeMs(1_764_000_000_000L)
            .durationMicros(333_333)
            .partIndex(2);
        encoder.flags().clear().independent(true);
        encoder.streamId("stream-1").rendition("1080p").putPayload(payload, 0, payloadBytes);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * Anchor: copy the payload alone into the frame buffer, the floor any framing must pay.
     *
     * @return the bytes copied.
     */
    @Benchmark
    public int copyPayloadOnly()
    {
        frame.putBytes(64, payload, 0, payloadBytes);
        return payloadBytes;
    }

    /**
     * Read a framed part and copy its payload out (what an edge does before storing it in the RAM tier).
     *
     * @param blackhole sink for the decoded fields.
     */
    @Benchmark
    public void decode(final Blackhole blackhole)
    {
        encode();
        headerDecoder.wrap(frame, 0);
        decoder.wrap(frame, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(), headerDecoder.version());
        blackhole.consume(decoder.msn());
        blackhole.consume(decoder.partIndex());
        blackhole.consume(decoder.flags().independent());
        decoder.skipStreamId();
        decoder.skipRendition();
        blackhole.consume(decoder.getPayload(received, 0, decoder.payloadLength()));
    }
}
