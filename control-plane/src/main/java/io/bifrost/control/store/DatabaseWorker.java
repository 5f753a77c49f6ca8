package io.bifrost.control.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's database thread ({@value #THREAD_NAME}, a daemon): the Aeron agent thread, which also reads the
 * edges' heartbeats and telemetry, never waits for the database; it hands work here and reads the answers later.
 * <ul>
 *   <li>{@link Task#offer(Runnable)}: one piece of work, never blocking the caller; the queue is bounded
 *   ({@code control.db-queue-capacity}), and a full queue refuses the work (counted, the caller retries later).</li>
 *   <li>{@link #every(Task, long, Runnable)}: periodic work (e.g. re-reading the signing keys), run between queued work
 *   on the same thread; a run that is due while another is still running is skipped, not queued.</li>
 * </ul>
 * Work runs one at a time in offer order. A task that throws is counted and logged; the thread goes on with the next.
 * Meters: {@code bifrost.control.db.queue} (gauge: work waiting), {@code bifrost.control.db.task{task}} (timer: how
 * long each run took), {@code bifrost.control.db.failures{task}} and {@code bifrost.control.db.dropped{task}}
 * (counters). Thread-safe; {@link #close()} stops the thread (work still queued is dropped).
 */
public final class DatabaseWorker implements AutoCloseable
{
    /** The worker thread's name. */
    public static final String THREAD_NAME = "bifrost-control-db";
    /** Default work that may wait ({@code control.db-queue-capacity}). */
    public static final int DEFAULT_QUEUE_CAPACITY = 64;
    /** Largest queue accepted. */
    public static final int MAX_QUEUE_CAPACITY = 65_536;
    /** How long {@link #close()} waits for the work running to finish. */
    static final long CLOSE_WAIT_MS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWorker.class);

    private final BlockingQueue<Job> queue;
    private final MeterRegistry meters;
    private final CopyOnWriteArrayList<Periodic> periodic = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * A kind of work, with its meters (tag {@code task}); make one per kind and keep it.
     */
    public final class Task
    {
        private final String name;
        private final Timer timer;
        private final Counter failures;
        private final Counter dropped;

        private Task(final String name)
        {
            this.name = name;
            timer = Timer.builder("bifrost.control.db.task").description("database work on the control plane's " +
                "database thread, by task").tag("task", name).register(meters);
            failures = Counter.builder("bifrost.control.db.failures")
                .description("database work that failed, by task").tag("task", name).register(meters);
            dropped = Counter.builder("bifrost.control.db.dropped")
                .description("database work refused because the queue was full (asked again later), by task")
                .tag("task", name).register(meters);
        }

        /**
         * Queue one run of this task; never blocks.
         *
         * @param work what to run on the database thread.
         * @return false when the queue is full or the worker closed (counted as dropped): ask again later.
         */
        public boolean offer(final Runnable work)
        {
            if (running && queue.offer(new Job(this, work)))
            {
                return true;
            }
            dropped.increment();
            return false;
        }

        /**
         * @return the task's name (the meters' {@code task} tag).
         */
        public String name()
        {
            return name;
        }

        private void run(final Runnable work)
        {
            final long startNs = System.nanoTime();
            try
            {
                work.run();
            }
            catch (final RuntimeException | Error ex)
            {
                failures.increment();
                LOG.warn("control plane database task {} failed: {}", name, ex.toString());
            }
            finally
            {
                timer.record(System.nanoTime() - startNs, TimeUnit.NANOSECONDS);
            }
        }
    }

    private record Job(Task task, Runnable work)
    {
    }

    /** Wakes the thread (a new periodic task, close) without work. */
    private static final Job WAKE = new Job(null, () -> {});

    private static final class Periodic
    {
        final Task task;
        final Runnable work;
        final long periodNs;
        long dueNs;

        Periodic(final Task task, final Runnable work, final long periodNs, final long dueNs)
        {
            this.task = task;
            this.work = work;
            this.periodNs = periodNs;
            this.dueNs = dueNs;
        }
    }

    /**
     * Start the database thread.
     *
     * @param queueCapacity work that may wait (1 to {@value #MAX_QUEUE_CAPACITY}).
     * @param meters        where the meters go.
     * @throws IllegalArgumentException when the capacity is out of range (names {@code control.db-queue-capacity}).
     */
    public DatabaseWorker(final int queueCapacity, final MeterRegistry meters)
    {
        if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY)
        {
            throw new IllegalArgumentException("control.db-queue-capacity must be 1 to " + MAX_QUEUE_CAPACITY +
                ", got " + queueCapacity);
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.meters = meters;
        Gauge.builder("bifrost.control.db.queue", queue, BlockingQueue::size)
            .description("database work waiting for the control plane's database thread").register(meters);
        thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * @param name the task's name (the meters' {@code task} tag), e.g. {@code content-ages}.
     * @return a kind of work to offer.
     */
    public Task task(final String name)
    {
        return new Task(name);
    }

    /**
     * Run {@code work} now and then every {@code periodMs} (measured from the start of one run to the next; a run
     * longer than the period delays the next, never doubles it).
     *
     * @param task     the kind of work.
     * @param periodMs milliseconds between runs, positive.
     * @param work     what to run on the database thread.
     */
    public void every(final Task task, final long periodMs, final Runnable work)
    {
        if (periodMs < 1)
        {
            throw new IllegalArgumentException("period must be positive, got " + periodMs);
        }
        periodic.add(new Periodic(task, work, TimeUnit.MILLISECONDS.toNanos(periodMs), System.nanoTime()));
        queue.offer(WAKE);
    }

    /**
     * @return work waiting (not counting the work running).
     */
    public int queued()
    {
        return queue.size();
    }

    private void run()
    {
        while (running)
        {
            try
            {
                final long waitNs = runDuePeriodic();
                final Job job = queue.poll(waitNs, TimeUnit.NANOSECONDS);
                if (job != null && job != WAKE)
                {
                    job.task().run(job.work());
                }
            }
            catch (final InterruptedException ex)
            {
                // nothing interrupts this thread on purpose (H2 closes its file when a thread is interrupted in IO)
            }
        }
        queue.clear();
    }

    private long runDuePeriodic()
    {
        long waitNs = TimeUnit.SECONDS.toNanos(1);
        for (final Periodic entry : periodic)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - entry.dueNs >= 0)
            {
                entry.dueNs = nowNs + entry.periodNs;
                entry.task.run(entry.work);
            }
            waitNs = Math.min(waitNs, Math.max(0, entry.dueNs - System.nanoTime()));
        }
        return waitNs;
    }

    /**
     * Stop the thread: work still queued is dropped; work running (a database call) is waited for up to
     * {@value #CLOSE_WAIT_MS} ms, never interrupted (the thread is a daemon, so a call stuck longer never holds the
     * process, and it ends when the caller closes the database).
     */
    @Override
    public void close()
    {
        if (!running)
        {
            return;
        }
        running = false;
        queue.clear();
        queue.offer(WAKE);
        try
        {
            thread.join(CLOSE_WAIT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive())
        {
            LOG.warn("control plane database thread still busy {} ms after close (a database call that does not " +
                "return); left to end on its own", CLOSE_WAIT_MS);
        }
    }
}
