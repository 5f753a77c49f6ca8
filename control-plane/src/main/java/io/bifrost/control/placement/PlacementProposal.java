package io.bifrost.control.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link PlacementPolicy} proposes in one round: placements (edge, content, range) and replica sets (which
 * edges steering uses). Confined to the planning thread.
 */
public final class PlacementProposal
{
    private final List<Placement> placements = new ArrayList<>();
    private final List<ReplicaSet> replicaSets = new ArrayList<>();

    /**
     * @param placement a wish for one edge.
     * @return this.
     */
    public PlacementProposal place(final Placement placement)
    {
        placements.add(placement);
        return this;
    }

    /**
     * @param replicaSet where a content's viewers in a region should go.
     * @return this.
     */
    public PlacementProposal replicas(final ReplicaSet replicaSet)
    {
        replicaSets.add(replicaSet);
        return this;
    }

    /**
     * @return the placements so far.
     */
    public List<Placement> placements()
    {
        return placements;
    }

    /**
     * @return the replica sets so far.
     */
    public List<ReplicaSet> replicaSets()
    {
        return replicaSets;
    }
}
