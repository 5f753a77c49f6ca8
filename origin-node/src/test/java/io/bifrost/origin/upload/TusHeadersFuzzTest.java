package io.bifrost.origin.upload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz targets for the upload parsers: the tus headers {@code Upload-Metadata}, {@code Upload-Checksum} and
 * the numeric {@code Upload-Offset}/{@code Upload-Length}, the upload-url JSON body, request routing and the container sniffer. Any header value (Netty hands headers over as ISO-8859-1 strings) is
 * either refused with a 400 {@link UploadException} carrying a message, or parsed into a value that round-trips. In a
 * normal build it replays the corpus under
 * {@code src/test/resources/io/bifrost/origin/upload/TusHeadersFuzzTestInputs/}; with {@code JAZZER_FUZZ=1} it fuzzes.
 */
class TusHeadersFuzzTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String header(final byte[] input)
    {
        return new String(input, StandardCharsets.ISO_8859_1);
    }

    private static void assertRefusal(final UploadException ex)
    {
        assertThat(ex.status().code()).isEqualTo(400);
        assertThat(ex.code()).startsWith("tus.");
        assertThat(ex.getMessage()).isNotBlank();
    }

    @FuzzTest(maxDuration = "60s")
    void metadataIsRefusedOrRoundTrips(final byte[] input)
    {
        final UploadMetadata metadata;
        try
        {
            metadata = UploadMetadata.parse(header(input));
        }
        catch (final UploadException ex)
        {
            assertRefusal(ex);
            return;
        }
        assertThat(metadata.pairs().size()).isLessThanOrEqualTo(UploadMetadata.MAX_PAIRS);
        assertThat(metadata.tags().size()).isLessThanOrEqualTo(30);
        assertThat(UploadMetadata.VISIBILITIES).contains(metadata.visibility());
        try
        {
            assertThat(UploadMetadata.parse(metadata.toHeader())).isEqualTo(metadata);
        }
        catch (final UploadException ex)
        {
            throw new AssertionError("re-encoded metadata was refused: " + ex.getMessage(), ex);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void checksumIsRefusedOrHasTheAlgorithmsDigestLength(final byte[] input)
    {
        final UploadChecksum checksum;
        try
        {
            checksum = UploadChecksum.parse(header(input));
        }
        catch (final UploadException ex)
        {
            assertRefusal(ex);
            return;
        }
        assertThat(checksum.expected()).hasSize(checksum.algorithm().newDigest().getDigestLength());
    }

    @FuzzTest(maxDuration = "60s")
    void uploadUrlRequestIsRefusedOrValid(final byte[] input)
    {
        final UploadUrlRequest request;
        try
        {
            request = UploadUrlRequest.parse(JSON, input);
        }
        catch (final UploadException ex)
        {
            assertThat(ex.status().code()).isIn(400, 415);
            assertThat(ex.getMessage()).isNotBlank();
            return;
        }
        assertThat(request.metadata().filename()).isNotBlank();
        assertThat(UploadMetadata.VISIBILITIES).contains(request.metadata().visibility());
    }

    @FuzzTest(maxDuration = "60s")
    void snifferNamesAContainerOrNothingForAnyBytes(final byte[] input)
    {
        final byte[] window = java.util.Arrays.copyOf(input, Math.max(input.length, ContainerSniffer.WINDOW));
        final int length = Math.min(input.length, ContainerSniffer.WINDOW);
        final String container = ContainerSniffer.detect(window, length);
        assertThat(container == null || !container.isBlank()).isTrue();
        assertThat(ContainerSniffer.describe(window, length)).startsWith("first bytes");
    }

    @FuzzTest(maxDuration = "60s")
    void routeIsRefusedOrNamesAValidUploadId(final byte[] input)
    {
        final String[] parts = header(input).split("\n", 3);
        final HttpRequest request;
        try
        {
            request = new DefaultHttpRequest(HttpVersion.HTTP_1_1,
                parts.length > 2 ? HttpMethod.valueOf(parts[2].strip().isEmpty() ? "GET" : parts[2].strip()) :
                HttpMethod.POST, parts[0]);
            if (parts.length > 1)
            {
                request.headers().set("X-HTTP-Method-Override", parts[1]).set("Tus-Resumable", "1.0.0");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return;
        }
        if (!UploadRoutes.handles(request.uri()))
        {
            return;
        }
        try
        {
            final UploadRoutes.Route route = UploadRoutes.route(request);
            assertThat(route.uploadId() == null || UploadStore.ID.matcher(route.uploadId()).matches()).isTrue();
        }
        catch (final UploadException ex)
        {
            assertThat(ex.status().code()).isIn(400, 404, 405, 412);
            assertThat(ex.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void offsetIsRefusedOrIsTheDecimalItSpells(final byte[] input)
    {
        final String value = header(input);
        final long parsed;
        try
        {
            parsed = TusProtocol.parseNonNegative(TusProtocol.UPLOAD_OFFSET, value);
        }
        catch (final UploadException ex)
        {
            assertRefusal(ex);
            return;
        }
        assertThat(parsed).isNotNegative();
        assertThat(value).matches("[0-9]{1,19}");
        assertThat(Long.parseLong(value)).isEqualTo(parsed);
    }
}
