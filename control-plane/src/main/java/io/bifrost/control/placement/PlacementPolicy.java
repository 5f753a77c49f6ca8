package io.bifrost.control.placement;

/**
 * Decides, for one planning round, which edges should hold which content and which edges steering should send each
 * content's viewers to. Policies only propose; the {@link PlacementPlanner} fits the proposals into each edge's
 * budget and turns them into commands against what edges already hold. Implementations are stateless or confined to
 * the planner's thread.
 */
public interface PlacementPolicy
{
    /**
     * @return a short name for reports and metrics, e.g. {@code seed}.
     */
    String name();

    /**
     * @param input this round's demand and edges.
     * @param out   receives the placements and replica sets.
     */
    void propose(PlacementInput input, PlacementProposal out);
}
