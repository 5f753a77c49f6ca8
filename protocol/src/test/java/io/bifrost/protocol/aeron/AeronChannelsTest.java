package io.bifrost.protocol.aeron;

import io.bifrost.protocol.auth.SequencedAuthenticator;
import io.bifrost.protocol.sbe.LivePartEncoder;
import io.bifrost.protocol.sbe.MessageHeaderEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AeronChannelsTest
{
    @Test
    void shouldBuildLiveMultiDestinationCastChannels()
    {
        assertThat(AeronChannels.livePublicationChannel("origin1.example.net", 40456))
            .isEqualTo("aeron:udp?control=origin1.example.net:40456|control-mode=dynamic|term-length=16777216");
        assertThat(AeronChannels.liveSubscriptionChannel("10.0.0.7", 40457, "origin1.example.net", 40456))
            .isEqualTo("aeron:udp?endpoint=10.0.0.7:40457|control=origin1.example.net:40456");
    }

    @Test
    void shouldBuildControlPlaneUnicastChannels()
    {
        assertThat(AeronChannels.controlPlanePublicationChannel("control1", 40458))
            .isEqualTo("aeron:udp?endpoint=control1:40458|term-length=1048576");
        assertThat(AeronChannels.controlPlaneSubscriptionChannel("0.0.0.0", 40458))
            .isEqualTo("aeron:udp?endpoint=0.0.0.0:40458");
    }

    @Test
    void shouldBuildPlacementMultiDestinationCastChannels()
    {
        assertThat(AeronChannels.placementPublicationChannel("control1", 40459))
            .isEqualTo("aeron:udp?control=control1:40459|control-mode=dynamic|term-length=1048576");
        assertThat(AeronChannels.placementSubscriptionChannel("edge-7", 40460, "control1", 40459))
            .isEqualTo("aeron:udp?endpoint=edge-7:40460|control=control1:40459");
    }

    @Test
    void shouldBuildIpcChannelsForEveryRoleInOneJvm()
    {
        assertThat(AeronChannels.IPC_CHANNEL).isEqualTo("aeron:ipc");
        assertThat(AeronChannels.LIVE_IPC_PUBLICATION_CHANNEL).isEqualTo("aeron:ipc?term-length=16777216");
        assertThat(AeronChannels.CONTROL_IPC_PUBLICATION_CHANNEL).isEqualTo("aeron:ipc?term-length=1048576");
        assertThat(AeronChannels.ipcPublicationChannel(64 * 1024)).isEqualTo("aeron:ipc?term-length=65536");
    }

    @Test
    void shouldPointDefaultChannelsAtLocalhostAndDefaultPorts()
    {
        assertThat(AeronChannels.DEFAULT_LIVE_PUBLICATION_CHANNEL)
            .isEqualTo("aeron:udp?control=localhost:40456|control-mode=dynamic|term-length=16777216");
        assertThat(AeronChannels.DEFAULT_LIVE_SUBSCRIPTION_CHANNEL)
            .isEqualTo("aeron:udp?endpoint=localhost:40457|control=localhost:40456");
        assertThat(AeronChannels.DEFAULT_CONTROL_PLANE_PUBLICATION_CHANNEL)
            .isEqualTo("aeron:udp?endpoint=localhost:40458|term-length=1048576");
        assertThat(AeronChannels.DEFAULT_CONTROL_PLANE_SUBSCRIPTION_CHANNEL)
            .isEqualTo("aeron:udp?endpoint=localhost:40458");
        assertThat(AeronChannels.DEFAULT_PLACEMENT_PUBLICATION_CHANNEL)
            .isEqualTo("aeron:udp?control=localhost:40459|control-mode=dynamic|term-length=1048576");
        assertThat(AeronChannels.DEFAULT_PLACEMENT_SUBSCRIPTION_CHANNEL)
            .isEqualTo("aeron:udp?endpoint=localhost:40460|control=localhost:40459");
    }

    @Test
    void shouldUseDistinctStreamIdsAndPortsInTheDocumentedRange()
    {
        assertThat(Set.of(
            AeronChannels.LIVE_STREAM_ID,
            AeronChannels.HEARTBEAT_STREAM_ID,
            AeronChannels.TELEMETRY_STREAM_ID,
            AeronChannels.PLACEMENT_STREAM_ID)).hasSize(4);

        assertThat(Set.of(
            AeronChannels.LIVE_CONTROL_PORT,
            AeronChannels.LIVE_DATA_PORT,
            AeronChannels.CONTROL_PLANE_PORT,
            AeronChannels.PLACEMENT_CONTROL_PORT,
            AeronChannels.PLACEMENT_DATA_PORT)).hasSize(5).allSatisfy(
                (port) -> assertThat(port).isBetween(40456, 40460));
    }

    @Test
    void shouldFitTheLargestLivePartWithHeaderInOneMessage()
    {
        final int largestLivePartMessage =
            MessageHeaderEncoder.ENCODED_LENGTH +
            LivePartEncoder.BLOCK_LENGTH +
            LivePartEncoder.streamIdHeaderLength() + AeronChannels.MAX_STREAM_ID_LENGTH +
            LivePartEncoder.renditionHeaderLength() + AeronChannels.MAX_RENDITION_LENGTH +
            LivePartEncoder.payloadHeaderLength() + AeronChannels.MAX_LIVE_PART_BYTES +
            SequencedAuthenticator.OVERHEAD;

        assertThat(largestLivePartMessage).isLessThanOrEqualTo(AeronChannels.LIVE_TERM_LENGTH / 8);
        assertThat(AeronChannels.MAX_LIVE_MESSAGE_BYTES).isEqualTo(2 * 1024 * 1024);
        assertThat(AeronChannels.MAX_LIVE_PART_BYTES).isBetween(2 * 1024 * 1024 - 1024, 2 * 1024 * 1024);
        assertThat(AeronChannels.MAX_CONTROL_MESSAGE_BYTES).isEqualTo(128 * 1024);
        assertThat(AeronChannels.maxMessageLength(AeronChannels.LIVE_TERM_LENGTH))
            .isEqualTo(AeronChannels.MAX_LIVE_MESSAGE_BYTES);
    }

    @Test
    void shouldBracketIpv6Literals()
    {
        assertThat(AeronChannels.endpoint("::1", 40456)).isEqualTo("[::1]:40456");
        assertThat(AeronChannels.endpoint("[fe80::1:2]", 40456)).isEqualTo("[fe80::1:2]:40456");
        assertThat(AeronChannels.endpoint("2001:db8:0:0:0:0:2:1", 1)).isEqualTo("[2001:db8:0:0:0:0:2:1]:1");
        assertThat(AeronChannels.endpoint("::ffff:192.0.2.128", 65535)).isEqualTo("[::ffff:192.0.2.128]:65535");
        assertThat(AeronChannels.endpoint("::", 9)).isEqualTo("[::]:9");
    }

    @Test
    void shouldAcceptHostNamesAndIpv4Literals()
    {
        assertThat(AeronChannels.endpoint("localhost", 40456)).isEqualTo("localhost:40456");
        assertThat(AeronChannels.endpoint("edge-01.fra.cdn.example.net", 40456))
            .isEqualTo("edge-01.fra.cdn.example.net:40456");
        assertThat(AeronChannels.endpoint("255.255.255.255", 40456)).isEqualTo("255.255.255.255:40456");
        assertThat(AeronChannels.endpoint("3com.example", 40456)).isEqualTo("3com.example:40456");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        " ",
        "origin 1",
        "origin|term-length=65536",
        "origin?x=y",
        "origin=1",
        "origin:40456",
        "origin/live",
        "user@origin",
        "-origin",
        "origin-",
        "origin..example",
        ".origin",
        "origin.",
        "256.1.1.1",
        "1.2.3",
        "01.2.3.4",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        ":1",
        "12345::1",
        "fe80::1%eth0",
        "[::1",
        "[origin]",
        "\u00e9dge"
    })
    void shouldRejectHostsThatAreNotHostNamesOrLiterals(final String host)
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.endpoint(host, 40456))
            .withMessageContaining("host");
    }

    @Test
    void shouldRejectNullAndOverlongHosts()
    {
        assertThatIllegalArgumentException().isThrownBy(() -> AeronChannels.endpoint(null, 40456));
        assertThatIllegalArgumentException().isThrownBy(() -> AeronChannels.endpoint("a".repeat(64), 40456));
        final String longName = ("a".repeat(63) + ".").repeat(4) + "com";
        assertThatIllegalArgumentException().isThrownBy(() -> AeronChannels.endpoint(longName, 40456));
    }

    @ParameterizedTest
    @ValueSource(ints = { -1, 0, 65_536, Integer.MAX_VALUE, Integer.MIN_VALUE })
    void shouldRejectPortsOutsideTheUdpRange(final int port)
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.endpoint("origin", port))
            .withMessageContaining("port");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.livePublicationChannel("origin", port));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.controlPlanePublicationChannel("control", port));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.liveSubscriptionChannel("edge", 40457, "origin", port));
    }

    @Test
    void shouldLetASubscriptionTakeAnyFreeDataPort()
    {
        assertThat(AeronChannels.liveSubscriptionChannel("127.0.0.1", 0, "127.0.0.1", 40456))
            .isEqualTo("aeron:udp?endpoint=127.0.0.1:0|control=127.0.0.1:40456");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.liveSubscriptionChannel("127.0.0.1", -1, "127.0.0.1", 40456));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.placementSubscriptionChannel("127.0.0.1", 65_536, "127.0.0.1", 40459));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 32 * 1024, 3 * 64 * 1024, 100_000, Integer.MIN_VALUE })
    void shouldRejectTermLengthsAeronDoesNotAccept(final int termLength)
    {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> AeronChannels.ipcPublicationChannel(termLength))
            .withMessageContaining("term length");
    }
}
