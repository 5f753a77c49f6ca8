package io.bifrost.protocol.messages;

import io.bifrost.protocol.messages.EdgeTelemetryCodecTest.Counters;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.bifrost.protocol.sbe.EdgeTelemetryEncoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.ExpandableArrayBuffer;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeTelemetryPropertyTest
{
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final EdgeTelemetryEncoder encoder = new EdgeTelemetryEncoder();
    private final EdgeTelemetryDecoder decoder = new EdgeTelemetryDecoder();

    @Property
    void shouldDecodeEveryEntryThatWasEncoded(
        @ForAll final long windowStartMs,
        @ForAll final long sequence,
        @ForAll final int windowLengthMs,
        @ForAll("ascii") final String edgeId,
        @ForAll("ascii") final String region,
        @ForAll @Size(max = 40) final List<@From("counters") Counters> written,
        @ForAll @IntRange(max = 64) final int offset)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);

        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .windowStartMs(windowStartMs)
            .sequence(sequence)
            .windowLengthMs(windowLengthMs);
        final EdgeTelemetryEncoder.ContentsEncoder contents = encoder.contentsCount(written.size());
        for (final Counters counters : written)
        {
            counters.encode(contents.next());
        }
        encoder.edgeId(edgeId).region(region);
        final int frameLength = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        final MessageHeaderDecoder header = Frames.readHeader(buffer, offset, EdgeTelemetryDecoder.TEMPLATE_ID);
        decoder.wrap(buffer, Frames.bodyOffset(header), header.blockLength(), header.version());

        assertThat(decoder.windowStartMs()).isEqualTo(windowStartMs);
        assertThat(decoder.sequence()).isEqualTo(sequence);
        assertThat(decoder.windowLengthMs()).isEqualTo(windowLengthMs);
        assertThat(EdgeTelemetryCodecTest.readContents(decoder)).containsExactlyElementsOf(written);
        assertThat(decoder.edgeId()).isEqualTo(edgeId);
        assertThat(decoder.region()).isEqualTo(region);
        assertThat(MessageHeaderDecoder.ENCODED_LENGTH + decoder.encodedLength()).isEqualTo(frameLength);
    }

    @Provide
    Arbitrary<String> ascii()
    {
        return Arbitraries.strings().ascii().ofMaxLength(80);
    }

    @Provide
    Arbitrary<Counters> counters()
    {
        final Arbitrary<Long> counts = Arbitraries.longs();
        final Arbitrary<Integer> gauges = Arbitraries.integers();

        return Builders.withBuilder(CountersBuilder::new)
            .use(ascii()).in(CountersBuilder::contentId)
            .use(counts).in(CountersBuilder::requests)
            .use(counts).in(CountersBuilder::bytesSent)
            .use(counts).in(CountersBuilder::ramHits)
            .use(counts).in(CountersBuilder::ssdHits)
            .use(counts).in(CountersBuilder::misses)
            .use(counts).in(CountersBuilder::errors)
            .use(gauges).in(CountersBuilder::activeViewers)
            .use(gauges).in(CountersBuilder::firstByteP50Micros)
            .use(gauges).in(CountersBuilder::firstByteP99Micros)
            .use(gauges).in(CountersBuilder::fillP50Micros)
            .use(gauges).in(CountersBuilder::fillP99Micros)
            .build(CountersBuilder::build);
    }

    /**
     * Mutable builder for jqwik's {@link Builders}; a record has too many components for {@code Combinators}.
     */
    static final class CountersBuilder
    {
        private String contentId;
        private long requests;
        private long bytesSent;
        private long ramHits;
        private long ssdHits;
        private long misses;
        private long errors;
        private int activeViewers;
        private int firstByteP50Micros;
        private int firstByteP99Micros;
        private int fillP50Micros;
        private int fillP99Micros;

        CountersBuilder contentId(final String contentId)
        {
            this.contentId = contentId;
            return this;
        }

        CountersBuilder requests(final long requests)
        {
            this.requests = requests;
            return this;
        }

        CountersBuilder bytesSent(final long bytesSent)
        {
            this.bytesSent = bytesSent;
            return this;
        }

        CountersBuilder ramHits(final long ramHits)
        {
            this.ramHits = ramHits;
            return this;
        }

        CountersBuilder ssdHits(final long ssdHits)
        {
            this.ssdHits = ssdHits;
            return this;
        }

        CountersBuilder misses(final long misses)
        {
            this.misses = misses;
            return this;
        }

        CountersBuilder errors(final long errors)
        {
            this.errors = errors;
            return this;
        }

        CountersBuilder activeViewers(final int activeViewers)
        {
            this.activeViewers = activeViewers;
            return this;
        }

        CountersBuilder firstByteP50Micros(final int micros)
        {
            this.firstByteP50Micros = micros;
            return this;
        }

        CountersBuilder firstByteP99Micros(final int micros)
        {
            this.firstByteP99Micros = micros;
            return this;
        }

        CountersBuilder fillP50Micros(final int micros)
        {
            this.fillP50Micros = micros;
            return this;
        }

        CountersBuilder fillP99Micros(final int micros)
        {
            this.fillP99Micros = micros;
            return this;
        }

        Counters build()
        {
            return new Counters(
                contentId,
                requests,
                bytesSent,
                ramHits,
                ssdHits,
                misses,
                errors,
                activeViewers,
                firstByteP50Micros,
                firstByteP99Micros,
                fillP50Micros,
                fillP99Micros);
        }
    }
}
