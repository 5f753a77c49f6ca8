package io.bifrost.origin.upload;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: the writes of one PATCH stay ordered while many
 * uploads share a few I/O threads. A task that throws is reported to {@code onFailure} and the next one runs.
 * {@link #submit} is thread-safe.
 */
final class SerialTasks
{
    private final Executor pool;
    private final Consumer<RuntimeException> onFailure;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    SerialTasks(final Executor pool, final Consumer<RuntimeException> onFailure)
    {
        this.pool = pool;
        this.onFailure = onFailure;
    }

    /**
     * @param task the next task.
     * @return false when the pool refused to run (it is shutting down); the task will not run.
     */
    boolean submit(final Runnable task)
    {
        tasks.add(task);
        if (draining.compareAndSet(false, true))
        {
            try
            {
                pool.execute(this::drain);
            }
            catch (final RejectedExecutionException ex)
            {
                tasks.clear();
                draining.set(false);
                return false;
            }
        }
        return true;
    }

    private void drain()
    {
        do
        {
            Runnable task;
            while ((task = tasks.poll()) != null)
            {
                try
                {
                    task.run();
                }
                catch (final RuntimeException ex)
                {
                    onFailure.accept(ex);
                }
            }
            draining.set(false);
        }
        while (!tasks.isEmpty() && draining.compareAndSet(false, true));
    }
}
