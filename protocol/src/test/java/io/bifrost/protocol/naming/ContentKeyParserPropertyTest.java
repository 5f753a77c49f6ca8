package io.bifrost.protocol.naming;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants of {@link ContentKeyParser}: every key round-trips through its path, and for any input the parser
 * either rejects it or returns the key whose canonical path is exactly that input.
 */
class ContentKeyParserPropertyTest
{
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

    @Property
    void everyKeyRoundTripsThroughItsPath(@ForAll("keys") final ContentKey key)
    {
        final PathParseResult parsed = ContentKeyParser.parse(key.path());

        assertThat(parsed).isEqualTo(key);
        assertThat(((ContentKey)parsed).path()).isEqualTo(key.path());
    }

    @Property
    void anyStringIsRejectedOrIsACanonicalPath(@ForAll final String input)
    {
        assertRejectedOrCanonical(input);
    }

    @Property
    void pathLikeStringsAreRejectedOrCanonical(@ForAll("pathLike") final String input)
    {
        assertRejectedOrCanonical(input);
    }

    @Property
    void mutatedValidPathsAreRejectedOrCanonical(
        @ForAll("keys") final ContentKey key,
        @ForAll("fragments") final String fragment,
        @ForAll @IntRange(min = 0, max = 1_000) final int position,
        @ForAll @IntRange(min = 0, max = 3) final int removeCount)
    {
        final String path = key.path();
        final int at = position % (path.length() + 1);
        final String mutated =
            path.substring(0, at) + fragment + path.substring(Math.min(path.length(), at + removeCount));

        assertRejectedOrCanonical(mutated);
    }

    @Property
    void aDotDotSegmentAnywhereIsTraversal(
        @ForAll("keys") final ContentKey key, @ForAll @IntRange(min = 0, max = 5) final int slashIndex)
    {
        final String path = key.path();
        final int at = nthSlashOrEnd(path, slashIndex);

        assertThat(ContentKeyParser.parse(path.substring(0, at) + "/.." + path.substring(at)))
            .isEqualTo(PathRejection.TRAVERSAL);
    }

    @Property
    void anEncodedSlashAnywhereIsRefused(
        @ForAll("keys") final ContentKey key,
        @ForAll @IntRange(min = 1, max = 5) final int slashIndex,
        @ForAll("encodedSeparators") final String encoded)
    {
        final String path = key.path();
        final int at = nthSlashOrEnd(path, slashIndex);
        final String mutated = at < path.length() ?
            path.substring(0, at) + encoded + path.substring(at + 1) :
            path + encoded;

        assertThat(ContentKeyParser.parse(mutated)).isEqualTo(PathRejection.PERCENT_ENCODED);
    }

    @Property
    void aDoubledSlashIsAnEmptySegment(
        @ForAll("keys") final ContentKey key, @ForAll @IntRange(min = 0, max = 4) final int slashIndex)
    {
        final String path = key.path();
        final int at = nthSlashOrEnd(path, slashIndex);
        if (at < path.length())
        {
            assertThat(ContentKeyParser.parse(path.substring(0, at) + "/" + path.substring(at)))
                .isEqualTo(PathRejection.EMPTY_SEGMENT);
        }
    }

    @Property
    void aLeadingZeroOnAnyNumberIsABadNumber(
        @ForAll("mediaKeys") final ContentKey key, @ForAll @IntRange(min = 0, max = 2) final int numberIndex)
    {
        final String path = key.path();
        final int fileStart = path.lastIndexOf('/') + 1;
        int at = fileStart;
        for (int i = 0; i < numberIndex; i++)
        {
            final int next = indexOfSeparator(path, at);
            if (next < 0 || path.startsWith(".m4s", next))
            {
                break;
            }
            at = next + 1;
        }

        assertThat(ContentKeyParser.parse(path.substring(0, at) + "0" + path.substring(at)))
            .isEqualTo(PathRejection.BAD_NUMBER);
    }

    @Property
    void numbersBeyondALongAreOverflow(
        @ForAll("keys") final ContentKey key, @ForAll @IntRange(min = 0, max = 9) final int extraDigit)
    {
        if (ContentKind.SEGMENT != key.kind() || !key.isLive())
        {
            return;
        }

        final String tooBig = Long.toString(Long.MAX_VALUE) + extraDigit;
        final String path = key.path();
        final String mutated = path.substring(0, path.lastIndexOf('/') + 1) + "1-" + tooBig + ".m4s";

        assertThat(ContentKeyParser.parse(mutated)).isEqualTo(PathRejection.NUMBER_OVERFLOW);
    }

    @Provide
    Arbitrary<ContentKey> keys()
    {
        final Arbitrary<String> ids = Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1)
            .ofMaxLength(ContentKey.MAX_ID_LENGTH);
        final Arbitrary<String> renditions = Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1)
            .ofMaxLength(ContentKey.MAX_RENDITION_LENGTH);
        final Arbitrary<Long> numbers = Arbitraries.oneOf(
            Arbitraries.longs().between(0, 1_000), Arbitraries.longs().between(0, Long.MAX_VALUE));
        final Arbitrary<Integer> parts = Arbitraries.integers().between(0, ContentKey.MAX_PART);
        final Arbitrary<ContentScope> scopes = Arbitraries.of(ContentScope.class);

        return Arbitraries.oneOf(
            Combinators.combine(scopes, ids).as(ContentKey::masterPlaylist),
            Combinators.combine(scopes, ids).as(ContentKey::mpd),
            Combinators.combine(scopes, ids, renditions).as(ContentKey::mediaPlaylist),
            Combinators.combine(scopes, ids, renditions).as(ContentKey::init),
            Combinators.combine(ids, renditions, numbers, numbers).as(ContentKey::liveSegment),
            Combinators.combine(ids, renditions, numbers, numbers, parts).as(ContentKey::livePart),
            Combinators.combine(ids, renditions, numbers).as(ContentKey::vodSegment));
    }

    @Provide
    Arbitrary<ContentKey> mediaKeys()
    {
        return keys().filter(key -> ContentKind.SEGMENT == key.kind() || ContentKind.PART == key.kind());
    }

    @Provide
    Arbitrary<String> encodedSeparators()
    {
        return Arbitraries.of("%2F", "%2f", "%5C", "%2e", "%2E%2E", "%00", "%252F", "%");
    }

    /**
     * Pieces that come close to valid names or are classic attacks, for insertion into valid paths.
     */
    @Provide
    Arbitrary<String> fragments()
    {
        final Arbitrary<String> pieces = Arbitraries.of(
            "", "/", "//", ".", "..", "/..", "/../", "/./", "%2F", "%2e%2e", "%", "\\", "?", "#", "?token=x",
            "0", "00", "01", "9", "-", "-0", ".0", ".9999", ".10000", "+", " ", "\u0000", "\n", "\u007F", "é",
            "\uFF0F", "\uD800", "9223372036854775807", "9223372036854775808", "99999999999999999999",
            "live", "vod", "master.m3u8", "manifest.mpd", "index.m3u8", "init.mp4", ".m4s", "720p", "a".repeat(65));
        final Arbitrary<String> randomAscii = Arbitraries.strings().ascii().ofMaxLength(4);

        return Arbitraries.oneOf(pieces, randomAscii, Combinators.combine(pieces, pieces).as(String::concat));
    }

    /**
     * Slash-joined segments shaped like the layout (lead, scope, id, optional rendition, file, optional extra), each
     * drawn mostly from the real vocabulary and sometimes from noise, so a fair share of inputs are valid or nearly so.
     */
    @Provide
    Arbitrary<String> pathLike()
    {
        final Arbitrary<String> noise = Arbitraries.oneOf(
            Arbitraries.of("..", ".", "", "%2F", "a b", "x\\y", "?", "é", "01", "-", "9223372036854775808"),
            Arbitraries.strings().withChars(NAME_CHARS + ".-/%\\").ofMaxLength(12));
        final Arbitrary<String> names = Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(8);
        final Arbitrary<String> numbers = Arbitraries.oneOf(
            Arbitraries.of("0", "1", "00", "01", "9999", "10000", "9223372036854775807", "9223372036854775808", ""),
            Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf));
        final Arbitrary<String> mediaNames = Arbitraries.oneOf(
            numbers.map(n -> n + ".m4s"),
            Combinators.combine(numbers, numbers).as((e, m) -> e + "-" + m + ".m4s"),
            Combinators.combine(numbers, numbers, numbers).as((e, m, p) -> e + "-" + m + "." + p + ".m4s"));
        final Arbitrary<String> files = Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.of("master.m3u8", "manifest.mpd", "index.m3u8", "init.mp4", "x.m3u8")),
            Tuple.of(6, mediaNames),
            Tuple.of(1, noise));

        final Arbitrary<String> lead = Arbitraries.frequency(Tuple.of(8, "/"), Tuple.of(1, ""), Tuple.of(1, "//"));
        final Arbitrary<String> scope = Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of("live", "vod")), Tuple.of(1, noise));
        final Arbitrary<String> id = Arbitraries.frequencyOf(Tuple.of(8, names), Tuple.of(1, noise));
        final Arbitrary<String> rendition = Arbitraries.frequencyOf(
            Tuple.of(6, names.map(r -> r + "/")), Tuple.of(3, Arbitraries.just("")), Tuple.of(1, noise));
        final Arbitrary<String> extra = Arbitraries.frequencyOf(
            Tuple.of(9, Arbitraries.just("")), Tuple.of(1, noise.map(n -> "/" + n)));

        return Combinators.combine(lead, scope, id, rendition, files, extra)
            .as((l, s, i, r, f, e) -> l + s + "/" + i + "/" + r + f + e);
    }

    private static void assertRejectedOrCanonical(final String input)
    {
        final PathParseResult result = ContentKeyParser.parse(input);

        assertThat(result).isNotNull();
        if (result instanceof ContentKey key)
        {
            assertThat(key.path()).isEqualTo(input);
            assertThat(ContentKeys.rebuild(key)).isEqualTo(key);
            assertThat(ContentKeys.rebuild(key).path()).isEqualTo(input);
        }
    }

    private static int nthSlashOrEnd(final String path, final int n)
    {
        int at = -1;
        for (int i = 0; i <= n; i++)
        {
            at = path.indexOf('/', at + 1);
            if (at < 0)
            {
                return path.length();
            }
        }

        return at;
    }

    private static int indexOfSeparator(final String path, final int from)
    {
        for (int i = from; i < path.length(); i++)
        {
            final char c = path.charAt(i);
            if ('-' == c || '.' == c)
            {
                return i;
            }
        }

        return -1;
    }
}
