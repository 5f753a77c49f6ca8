package io.bifrost.edge.player;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QoE beacons are untrusted bytes from any browser: every input parses to a beacon within the schema's bounds or to a
 * rejection, never an exception. The committed corpus ({@code QoeBeaconParserFuzzTestInputs}) runs as a regression
 * test in every build. Real fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl edge-node test -Dtest=QoeBeaconParserFuzzTest}.
 */
class QoeBeaconParserFuzzTest
{
    @FuzzTest(maxDuration = "30s")
    void shouldParseAnyBytesToABeaconOrARejection(final FuzzedDataProvider data)
    {
        final byte[] body = data.consumeRemainingAsBytes();

        final BeaconParse parsed = QoeBeaconParser.parse(body);

        assertThat(parsed).isNotNull();
        if (parsed instanceof QoeBeacon beacon)
        {
            assertThat(body.length).isLessThanOrEqualTo(QoeBeaconParser.MAX_BODY_BYTES);
            assertThat(QoeBeaconParser.isContentId(beacon.contentId())).isTrue();
            assertThat(beacon.session()).matches("[0-9a-f]{8,32}");
            assertThat(beacon.sequence()).isBetween(0L, QoeBeaconParser.MAX_SEQUENCE);
            assertThat(beacon.startupMs()).isBetween(-1L, QoeBeaconParser.MAX_STARTUP_MS);
            assertThat(beacon.rebuffers()).isBetween(0, QoeBeaconParser.MAX_EVENTS);
            assertThat(beacon.switchesUp()).isBetween(0, QoeBeaconParser.MAX_EVENTS);
            assertThat(beacon.switchesDown()).isBetween(0, QoeBeaconParser.MAX_EVENTS);
            assertThat(beacon.rebufferMs()).isBetween(0L, QoeBeaconParser.MAX_INTERVAL_MS);
            assertThat(beacon.playedMs()).isBetween(0L, QoeBeaconParser.MAX_INTERVAL_MS);
            assertThat(beacon.bitrateBps()).isBetween(0L, QoeBeaconParser.MAX_BITRATE_BPS);
        }
    }
}
