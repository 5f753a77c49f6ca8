package io.bifrost.control.edges;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;

import java.util.List;

/**
 * Polls the subscriptions edges send heartbeats and telemetry on (one per stream and transport: IPC for edges in this
 * process, UDP for the others) and hands each assembled message to the {@link EdgeFeed}. Confined to its agent
 * thread; owns and closes the subscriptions.
 */
public final class EdgeFeedAgent implements Agent
{
    /** Fragments read per subscription per duty cycle. */
    static final int FRAGMENT_LIMIT = 64;

    private final List<Subscription> subscriptions;
    private final FragmentAssembler[] assemblers;

    /**
     * @param subscriptions heartbeat and telemetry subscriptions (owned from now on).
     * @param feed          the decoder.
     */
    public EdgeFeedAgent(final List<Subscription> subscriptions, final EdgeFeed feed)
    {
        this.subscriptions = List.copyOf(subscriptions);
        this.assemblers = new FragmentAssembler[this.subscriptions.size()];
        for (int i = 0; i < assemblers.length; i++)
        {
            assemblers[i] = new FragmentAssembler(feed);
        }
    }

    @Override
    public int doWork()
    {
        int work = 0;
        for (int i = 0; i < assemblers.length; i++)
        {
            work += subscriptions.get(i).poll(assemblers[i], FRAGMENT_LIMIT);
        }
        return work;
    }

    @Override
    public void onClose()
    {
        CloseHelper.closeAll(subscriptions);
    }

    @Override
    public String roleName()
    {
        return "control-edge-feed";
    }
}
