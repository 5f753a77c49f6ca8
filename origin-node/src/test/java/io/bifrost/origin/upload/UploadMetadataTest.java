package io.bifrost.origin.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadMetadataTest
{
    @Test
    void shouldReadTheKeysBifrostKnowsAndKeepOthers() throws Exception
    {
        final UploadMetadata metadata = UploadMetadata.parse(TusClient.metadataHeader(Map.of(
            "filename", "nature.mp4", "title", "Amazing Nature", "description", "Line one\nLine two",
            "tags", " nature, 4k ,nature,", "visibility", "public", "filetype", "video/mp4")) + ",is_confidential");

        assertThat(metadata.filename()).isEqualTo("nature.mp4");
        assertThat(metadata.title()).isEqualTo("Amazing Nature");
        assertThat(metadata.description()).isEqualTo("Line one\nLine two");
        assertThat(metadata.tags()).containsExactly("nature", "4k");
        assertThat(metadata.visibility()).isEqualTo("public");
        assertThat(metadata.get("filetype")).isEqualTo("video/mp4");
        assertThat(metadata.get("is_confidential")).isEmpty();
        assertThat(UploadMetadata.parse(metadata.toHeader())).isEqualTo(metadata);
    }

    @Test
    void shouldDefaultToPrivateVisibility() throws Exception
    {
        assertThat(UploadMetadata.parse(null).visibility()).isEqualTo("private");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "filename a b", "filename !!!", "a YQ==,a YQ==", "ke\u00e9y YQ==", ",", "filename YQ==,,title YQ==",
        // filename with a path, a control character in a title, a bad visibility, an absurd title length
        "filename Li4vZXRjL3Bhc3N3ZA==", "title YQFi", "visibility c2VjcmV0",
        // invalid UTF-8
        "title wyg="
    })
    void shouldRefuseMalformedOrInvalidMetadata(final String header)
    {
        assertThatThrownBy(() -> UploadMetadata.parse(header))
            .isInstanceOfSatisfying(UploadException.class, ex ->
            {
                assertThat(ex.status().code()).isEqualTo(400);
                assertThat(ex.code()).isEqualTo("tus.bad_metadata");
            });
    }

    @Test
    void shouldAcceptAKeyWithoutValue() throws Exception
    {
        assertThat(UploadMetadata.parse("filename").filename()).isEmpty();
    }

    @Test
    void shouldRefuseTooManyTagsAndOverlongTitles()
    {
        assertThatThrownBy(() -> UploadMetadata.of(Map.of("tags",
            String.join(",", IntStream.range(0, 31).mapToObj(i -> "tag" + i).toList()))))
            .hasMessageContaining("at most 30 tags");
        assertThatThrownBy(() -> UploadMetadata.of(Map.of("title", "x".repeat(201))))
            .hasMessageContaining("longer than 200");
    }
}
