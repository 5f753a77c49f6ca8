package io.bifrost.edge.player;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class QoeBeaconParserTest
{
    private static final String VALID = "{\"v\":1,\"id\":\"title-1\",\"kind\":\"live\",\"session\":\"00ff00ff\",\"seq\":3," +
        "\"rebuffers\":1,\"rebufferMs\":250.4,\"switchesUp\":0,\"switchesDown\":2,\"playedMs\":10000,\"bitrateBps\":1e6}";

    private static BeaconParse parse(final String body)
    {
        return QoeBeaconParser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadAValidBeaconWithoutAStartupTime()
    {
        assertThat(parse(VALID)).isEqualTo(
            new QoeBeacon("title-1", true, "00ff00ff", 3, -1, 1, 250, 0, 2, 10_000, 1_000_000));
    }

    @Test
    void shouldReadFieldsInAnyOrderWithWhitespace()
    {
        assertThat(parse(" {\n\"startupMs\" : 0, " + VALID.substring(1) + "\n")).isInstanceOf(QoeBeacon.class)
            .extracting(beacon -> ((QoeBeacon)beacon).startupMs()).isEqualTo(0L);
    }

    @Test
    void shouldRefuseEachKindOfBadBeaconWithItsReason()
    {
        assertThat(parse("")).isEqualTo(BeaconRejection.MALFORMED);
        assertThat(parse("[]")).isEqualTo(BeaconRejection.MALFORMED);
        assertThat(parse(VALID + " 1")).isEqualTo(BeaconRejection.MALFORMED);
        assertThat(parse(VALID.replace("\"seq\":3", "\"seq\":3,\"seq\":4"))).isEqualTo(BeaconRejection.MALFORMED);
        assertThat(parse(VALID.replace("}", ""))).isEqualTo(BeaconRejection.MALFORMED);
        assertThat(parse(VALID.replace("\"seq\":3", "\"seq\":{\"a\":1}"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("\"seq\":3", "\"seq\":3.5"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("\"seq\":3", "\"seq\":\"3\""))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("\"seq\":3", "\"seq\":99999999999999999999"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("\"live\"", "\"dvr\""))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("00ff00ff", "00FF00FF"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("title-1", "a/b"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("title-1", "x".repeat(65)))).isEqualTo(BeaconRejection.MALFORMED);
        assertThat(parse(VALID.replace("\"playedMs\":10000", "\"playedMs\":3600001"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("\"playedMs\":10000", "\"playedMs\":-0.5"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("\"rebuffers\":1", "\"rebuffers\":null"))).isEqualTo(BeaconRejection.BAD_VALUE);
        assertThat(parse(VALID.replace("\"v\":1,", ""))).isEqualTo(BeaconRejection.MISSING_FIELD);
        assertThat(parse(VALID.replace("\"v\":1", "\"v\":2"))).isEqualTo(BeaconRejection.BAD_VERSION);
        assertThat(parse(VALID.replace("\"v\":1", "\"v\":1,\"userAgent\":\"x\""))).isEqualTo(BeaconRejection.UNKNOWN_FIELD);
        assertThat(parse(" ".repeat(QoeBeaconParser.MAX_BODY_BYTES + 1))).isEqualTo(BeaconRejection.TOO_LARGE);
        assertThat(parse("[".repeat(1000))).isEqualTo(BeaconRejection.MALFORMED);
    }

    @Test
    void shouldNameEachRejectionForItsCounterTag()
    {
        assertThat(BeaconRejection.TOO_LARGE.code()).isEqualTo("too-large");
        assertThat(BeaconRejection.UNKNOWN_FIELD.code()).isEqualTo("unknown-field");
    }

    @Test
    void shouldRouteOnlyExactPlayerPaths()
    {
        assertThat(PlayerRoute.owns("/player")).isTrue();
        assertThat(PlayerRoute.owns("/player?x")).isTrue();
        assertThat(PlayerRoute.owns("/player/a")).isTrue();
        assertThat(PlayerRoute.owns("/players")).isFalse();
        assertThat(PlayerRoute.owns("/vod/player/x")).isFalse();
        assertThat(PlayerRoute.parse("/player/abc")).isEqualTo(new PlayerRoute(PlayerRoute.Kind.PAGE, null));
        assertThat(PlayerRoute.parse("/player/live/abc").kind()).isEqualTo(PlayerRoute.Kind.PAGE);
        assertThat(PlayerRoute.parse("/player/assets/seed-abr.js")).isEqualTo(new PlayerRoute(PlayerRoute.Kind.ASSET, "seed-abr.js"));
        assertThat(PlayerRoute.parse("/player/qoe").kind()).isEqualTo(PlayerRoute.Kind.BEACON);
        assertThat(PlayerRoute.parse("/player/a.b").kind()).isEqualTo(PlayerRoute.Kind.NOT_FOUND);
        assertThat(PlayerRoute.parse("/player/assets/").kind()).isEqualTo(PlayerRoute.Kind.NOT_FOUND);
    }
}
