package io.bifrost.origin.live;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link FragmentedMp4Reader} (and through it the moov and moof parsers): any byte stream, cut
 * into chunks anywhere, either yields headers and fragments that obey their invariants or is refused with an
 * {@link IllegalArgumentException} that has a message; never another exception, a hang or an unbounded allocation.
 * The first input byte picks the announced track kind and the chunk size. Replays the committed corpus in a normal
 * build (hand-made boxes, no media); {@code JAZZER_FUZZ=1} fuzzes.
 */
class FragmentedMp4ReaderFuzzTest
{
    @FuzzTest(maxDuration = "60s")
    void readsOrRefusesAnyByteStream(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final TrackKind kind = (input[0] & 1) == 0 ? TrackKind.VIDEO : TrackKind.AUDIO;
        final int chunk = 1 + ((input[0] & 0xFF) >>> 1);
        final FragmentedMp4Reader reader = new FragmentedMp4Reader(kind, new FragmentedMp4Reader.Listener()
        {
            @Override
            public void onInit(final InitSegment init)
            {
                assertThat(init.kind()).isEqualTo(kind);
                assertThat(init.timescale()).isPositive();
                assertThat(init.codec()).matches("(avc1|avc3)\\.[0-9a-f]{6}|mp4a\\.40\\.\\d+");
                assertThat(init.bytes().length).isLessThanOrEqualTo(2 * FragmentedMp4Reader.MAX_HEADER_BOX_BYTES);
            }

            @Override
            public void onFragment(final CmafFragment fragment)
            {
                assertThat(fragment.sampleCount()).isBetween(1, MoofParser.MAX_SAMPLES);
                assertThat(fragment.duration()).isPositive();
                assertThat(fragment.baseDecodeTime()).isNotNegative();
                assertThat(fragment.bytes().length)
                    .isLessThanOrEqualTo(FragmentedMp4Reader.MAX_MOOF_BYTES + FragmentedMp4Reader.MAX_MDAT_BYTES);
            }
        });
        try
        {
            for (int pos = 1; pos < input.length; pos += chunk)
            {
                reader.accept(ByteBuffer.wrap(input, pos, Math.min(chunk, input.length - pos)));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            assertThat(ex.getMessage()).isNotBlank();
        }
    }
}
