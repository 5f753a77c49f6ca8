package io.bifrost.control.placement;

import io.bifrost.protocol.sbe.PlacementAction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementLedgerTest
{
    private final PlacementLedger ledger = new PlacementLedger(60_000);

    @Test
    void shouldForgetAPrefetchAfterTheAssumedHoldTime()
    {
        ledger.apply(List.of(decision(PlacementAction.PREFETCH, "e1", 0, 4, 0)), 1_000);

        assertThat(ledger.holdings(60_999)).singleElement().satisfies(h ->
        {
            assertThat(h.pinned()).isFalse();
            assertThat(h.covers(0, 4)).isTrue();
            assertThat(h.covers(0, 5)).isFalse();
        });
        assertThat(ledger.holdings(61_000)).isEmpty();
    }

    @Test
    void shouldWidenAHoldingAndKeepItsPin()
    {
        ledger.apply(List.of(decision(PlacementAction.PIN, "e1", 0, 4, 500_000)), 1_000);
        ledger.apply(List.of(decision(PlacementAction.PREFETCH, "e1", 3, 20, 0)), 2_000);

        assertThat(ledger.holdings(2_000)).singleElement().satisfies(h ->
        {
            assertThat(h.pinned()).isTrue();
            assertThat(h.fromMsn()).isZero();
            assertThat(h.toMsn()).isEqualTo(20);
            assertThat(h.expiresAtMs()).isEqualTo(500_000);
        });
    }

    @Test
    void shouldDropHoldingsOnReleaseAndWhenAnEdgeIsForgotten()
    {
        ledger.apply(List.of(
            decision(PlacementAction.PIN, "e1", -1, -1, 500_000),
            decision(PlacementAction.PIN, "e2", -1, -1, 500_000),
            decision(PlacementAction.PIN, "e3", -1, -1, 500_000)), 1_000);
        ledger.apply(List.of(decision(PlacementAction.RELEASE, "e1", -1, -1, 0)), 2_000);
        ledger.forgetEdge("e2");

        assertThat(ledger.holdings(3_000)).singleElement().satisfies(h ->
        {
            assertThat(h.edgeId()).isEqualTo("e3");
            assertThat(h.covers(0, 1_000_000)).isTrue();
        });
    }

    private static PlacementDecision decision(
        final PlacementAction action, final String edge, final long from, final long to, final long expiresAt)
    {
        return new PlacementDecision(action, edge, "vod/x", "", from, to, 1, expiresAt);
    }
}
