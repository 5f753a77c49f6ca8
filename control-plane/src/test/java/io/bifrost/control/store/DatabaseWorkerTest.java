package io.bifrost.control.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The control plane's database thread: work runs in order on one daemon thread, a full queue refuses (and counts)
 * instead of blocking the caller, a failing task is counted and the thread goes on, periodic work repeats, and
 * closing stops it.
 */
class DatabaseWorkerTest
{
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private DatabaseWorker worker;

    @AfterEach
    void stop()
    {
        if (worker != null)
        {
            worker.close();
        }
    }

    @Test
    void shouldRunOfferedWorkInOrderOnItsOwnDaemonThreadAndTimeIt()
    {
        worker = new DatabaseWorker(8, meters);
        final DatabaseWorker.Task task = worker.task("reads");
        final List<String> ran = new CopyOnWriteArrayList<>();
        for (final String name : List.of("a", "b", "c"))
        {
            assertThat(task.offer(() -> ran.add(name + " " + Thread.currentThread().getName() + " " +
                Thread.currentThread().isDaemon()))).isTrue();
        }

        await().until(() -> meters.timer("bifrost.control.db.task", "task", "reads").count() == 3);

        assertThat(ran).containsExactly("a bifrost-control-db true", "b bifrost-control-db true",
            "c bifrost-control-db true");
        assertThat(meters.get("bifrost.control.db.queue").gauge().value()).isZero();
    }

    @Test
    void shouldRefuseAndCountWorkWhenTheQueueIsFullWithoutBlockingTheCaller() throws InterruptedException
    {
        worker = new DatabaseWorker(1, meters);
        final DatabaseWorker.Task stall = worker.task("stall");
        final DatabaseWorker.Task reads = worker.task("reads");
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger done = new AtomicInteger();
        stall.offer(() ->
        {
            running.countDown();
            awaitQuietly(release);
        });
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(reads.offer(done::incrementAndGet)).as("waits in the queue").isTrue();
        assertThat(reads.offer(done::incrementAndGet)).as("the queue is full").isFalse();

        assertThat(meters.counter("bifrost.control.db.dropped", "task", "reads").count()).isEqualTo(1);
        assertThat(meters.get("bifrost.control.db.queue").gauge().value()).isEqualTo(1);
        assertThat(worker.queued()).isEqualTo(1);
        release.countDown();
        await().until(() -> meters.timer("bifrost.control.db.task", "task", "reads").count() == 1);
        assertThat(done).hasValue(1);
        assertThat(reads.offer(done::incrementAndGet)).as("room again").isTrue();
        await().until(() -> meters.timer("bifrost.control.db.task", "task", "reads").count() == 2);
        assertThat(done).hasValue(2);
    }

    @Test
    void shouldCountAFailingTaskAndGoOnWithTheNext()
    {
        worker = new DatabaseWorker(8, meters);
        final AtomicInteger done = new AtomicInteger();
        worker.task("broken").offer(() ->
        {
            throw new IllegalStateException("control plane store: cannot read (connection refused)");
        });
        worker.task("reads").offer(done::incrementAndGet);

        await().until(() -> meters.timer("bifrost.control.db.task", "task", "reads").count() == 1);

        assertThat(done).hasValue(1);
        assertThat(meters.counter("bifrost.control.db.failures", "task", "broken").count()).isEqualTo(1);
        assertThat(meters.counter("bifrost.control.db.failures", "task", "reads").count()).isZero();
    }

    @Test
    void shouldRunPeriodicWorkAtOnceAndAgainBetweenQueuedWork()
    {
        worker = new DatabaseWorker(8, meters);
        final AtomicInteger refreshes = new AtomicInteger();
        final List<String> threads = new CopyOnWriteArrayList<>();
        worker.every(worker.task("refresh"), 20, () ->
        {
            refreshes.incrementAndGet();
            threads.add(Thread.currentThread().getName());
        });
        worker.task("reads").offer(() -> threads.add(Thread.currentThread().getName()));

        await().until(() -> meters.timer("bifrost.control.db.task", "task", "refresh").count() >= 3 &&
            meters.timer("bifrost.control.db.task", "task", "reads").count() == 1);

        assertThat(refreshes.get()).isGreaterThanOrEqualTo(3);
        assertThat(threads).containsOnly(DatabaseWorker.THREAD_NAME);
    }

    @Test
    void shouldRefuseWorkAfterCloseAndStopItsThread()
    {
        worker = new DatabaseWorker(8, meters);
        final DatabaseWorker.Task task = worker.task("reads");
        final List<Thread> thread = new CopyOnWriteArrayList<>();
        task.offer(() -> thread.add(Thread.currentThread()));
        await().until(() -> meters.timer("bifrost.control.db.task", "task", "reads").count() == 1);

        worker.close();

        assertThat(task.offer(() -> thread.add(Thread.currentThread()))).isFalse();
        assertThat(meters.counter("bifrost.control.db.dropped", "task", "reads").count()).isEqualTo(1);
        await().until(() -> !thread.get(0).isAlive());
        assertThat(thread).hasSize(1);
    }

    @Test
    void shouldRefuseAQueueCapacityOutOfRangeNamingTheKey()
    {
        assertThatThrownBy(() -> new DatabaseWorker(0, meters)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("control.db-queue-capacity");
        assertThatThrownBy(() -> new DatabaseWorker(DatabaseWorker.MAX_QUEUE_CAPACITY + 1, meters))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control.db-queue-capacity");
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
