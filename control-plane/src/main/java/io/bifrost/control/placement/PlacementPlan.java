package io.bifrost.control.placement;

import java.util.List;

/**
 * The outcome of one planning round.
 *
 * @param decisions        commands to send, PIN and PREFETCH highest priority first, then RELEASE.
 * @param placements       the placements that fit the edges' budgets (what edges should hold after this round).
 * @param replicaSets      where steering should send each content's viewers, per region.
 * @param droppedPlacements placements proposed but left out because their edge's budget was spent.
 */
public record PlacementPlan(
    List<PlacementDecision> decisions,
    List<Placement> placements,
    List<ReplicaSet> replicaSets,
    int droppedPlacements)
{
    /**
     * Copies the lists.
     */
    public PlacementPlan
    {
        decisions = List.copyOf(decisions);
        placements = List.copyOf(placements);
        replicaSets = List.copyOf(replicaSets);
    }
}
