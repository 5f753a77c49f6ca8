package io.bifrost.ingest.control;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bifrost.ingest.sink.StreamAuthorization;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target for {@link AuthorizeAnswer#parse}: the first two bytes are the HTTP status, the rest the body.
 * Any input gives an answer without throwing, and only a 200 with a well-formed stream id allows (fail closed).
 * Corpus under {@code src/test/resources/io/bifrost/ingest/control/AuthorizeAnswerFuzzTestInputs/}.
 */
class AuthorizeAnswerFuzzTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @FuzzTest(maxDuration = "60s")
    void parsesOrFailsClosed(final byte[] input)
    {
        final int status = input.length < 2 ? 200 : ((input[0] & 0xFF) << 8 | (input[1] & 0xFF)) % 600;
        final byte[] body = input.length < 2 ? input : Arrays.copyOfRange(input, 2, input.length);

        final AuthorizeAnswer answer = AuthorizeAnswer.parse(MAPPER, status, body);

        assertThat(answer.authorization()).isNotNull();
        if (answer.authorization().allowed())
        {
            assertThat(status).isEqualTo(200);
            assertThat(answer.authorization().streamId()).matches(StreamAuthorization.STREAM_ID);
            assertThat(answer.outcome()).isEqualTo(AuthorizeOutcome.ALLOWED);
        }
        else
        {
            assertThat(answer.authorization().detail()).isNotBlank();
        }
    }
}
