package io.bifrost.edge.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenGateTest
{
    @Test
    void shouldFindTheTokenParameterAnywhereInTheQueryOnlyByItsExactName()
    {
        assertThat(TokenGate.queryParameter("token=abc", "token")).isEqualTo("abc");
        assertThat(TokenGate.queryParameter("a=1&token=abc&b=2", "token")).isEqualTo("abc");
        assertThat(TokenGate.queryParameter("mytoken=x&token=y", "token")).isEqualTo("y");
        assertThat(TokenGate.queryParameter("tokens=x", "token")).isNull();
        assertThat(TokenGate.queryParameter("token", "token")).isNull();
        assertThat(TokenGate.queryParameter("token=", "token")).isNull();
        assertThat(TokenGate.queryParameter(null, "token")).isNull();
        assertThat(TokenGate.queryParameter("&&&", "token")).isNull();
    }
}
