package io.bifrost.ingest.control;

import io.bifrost.ingest.sink.IngestProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The status queue's admission, per-stream coalescing, bound and retries, with calls the test answers itself (each
 * call is a future the test completes), so every interleaving is exact: a mass disconnect is sent a few reports at a
 * time, a stream's waiting reports collapse to its latest state, a full queue drops the oldest, and failures are
 * retried with backoff a bounded number of times.
 */
@Timeout(30)
class StatusReportQueueTest
{
    private record Call(String streamId, String status, CompletableFuture<StatusReportQueue.Delivery> answer)
    {
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final List<Call> sent = new ArrayList<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger maxOutstanding = new AtomicInteger();

    @Test
    void shouldSendAMassDisconnectAFewReportsAtATime()
    {
        final StatusReportQueue queue = queue(4, 8192, 8);
        final List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 1200; i++)
        {
            results.add(queue.submit(stream(i), "offline", IngestProtocol.RTMP));
        }
        assertThat(calls).hasSize(4);
        assertThat(queue.queued()).isEqualTo(1196);

        answerAll(StatusReportQueue.Delivery.TAKEN);

        assertThat(results).allSatisfy(result -> assertThat(result.join()).isTrue());
        assertThat(sent).hasSize(1200);
        assertThat(maxOutstanding.get()).isEqualTo(4);
        assertThat(counter("bifrost.ingest.control.status", "outcome", "sent")).isEqualTo(1200);
        assertThat(queue.inFlight()).isZero();
        assertThat(queue.queued()).isZero();
    }

    @Test
    void shouldSendOnlyTheLatestStateWhenLiveAndOfflineWaitTogether()
    {
        final StatusReportQueue queue = queue(1, 16, 8);
        final CompletableFuture<Boolean> busy = queue.submit(stream(0), "live", IngestProtocol.RTMP);
        final CompletableFuture<Boolean> live = queue.submit(stream(1), "live", IngestProtocol.RTMP);
        final CompletableFuture<Boolean> offline = queue.submit(stream(1), "offline", IngestProtocol.SRT);

        answerAll(StatusReportQueue.Delivery.TAKEN);

        assertThat(sent).extracting(Call::streamId, Call::status)
            .containsExactly(tuple(stream(0), "live"), tuple(stream(1), "offline"));
        assertThat(busy.join()).isTrue();
        assertThat(live.join()).as("replaced by a newer report the control plane took").isTrue();
        assertThat(offline.join()).isTrue();
        assertThat(counter("bifrost.ingest.control.status.dropped", "reason", "superseded")).isEqualTo(1);
    }

    @Test
    void shouldSendAStreamsNextReportOnlyAfterItsCallInFlightEnded()
    {
        final StatusReportQueue queue = queue(4, 16, 8);
        queue.submit(stream(7), "live", IngestProtocol.RTMP);
        queue.submit(stream(7), "offline", IngestProtocol.RTMP);

        assertThat(calls).hasSize(1).first().extracting(Call::status).isEqualTo("live");
        assertThat(queue.queued()).isEqualTo(1);
        answerAll(StatusReportQueue.Delivery.TAKEN);

        assertThat(sent).extracting(Call::status).containsExactly("live", "offline");
    }

    @Test
    void shouldRetryAFailedReportWithBackoffAndGiveUpAfterMaxAttempts()
    {
        final StatusReportQueue queue = queue(4, 16, 3);
        final CompletableFuture<Boolean> result = queue.submit(stream(1), "offline", IngestProtocol.RTMP);

        answerAll(StatusReportQueue.Delivery.FAILED);

        assertThat(result.join()).isFalse();
        assertThat(sent).hasSize(3).extracting(Call::status).containsOnly("offline");
        assertThat(counter("bifrost.ingest.control.status.retried", null, null)).isEqualTo(2);
        assertThat(counter("bifrost.ingest.control.status", "outcome", "failed")).isEqualTo(1);
    }

    @Test
    void shouldTakeAReportThatFailedOnceWhenTheRetrySucceeds()
    {
        final StatusReportQueue queue = queue(4, 16, 3);
        final CompletableFuture<Boolean> result = queue.submit(stream(1), "offline", IngestProtocol.RTMP);
        await().atMost(Duration.ofSeconds(5)).until(() -> !calls.isEmpty());
        answer(calls.poll(), StatusReportQueue.Delivery.FAILED);

        answerAll(StatusReportQueue.Delivery.TAKEN);

        assertThat(result.join()).isTrue();
        assertThat(sent).hasSize(2);
    }

    @Test
    void shouldNeverRetryAReportTheControlPlaneRefused()
    {
        final StatusReportQueue queue = queue(4, 16, 8);
        final CompletableFuture<Boolean> result = queue.submit(stream(1), "live", IngestProtocol.RTMP);

        answerAll(StatusReportQueue.Delivery.REFUSED);

        assertThat(result.join()).isFalse();
        assertThat(sent).hasSize(1);
        assertThat(counter("bifrost.ingest.control.status.retried", null, null)).isZero();
    }

    @Test
    void shouldSendTheNewerStateInsteadOfRetryingAReplacedOne()
    {
        final StatusReportQueue queue = queue(4, 16, 8);
        final CompletableFuture<Boolean> live = queue.submit(stream(1), "live", IngestProtocol.RTMP);
        final CompletableFuture<Boolean> offline = queue.submit(stream(1), "offline", IngestProtocol.RTMP);
        answer(calls.poll(), StatusReportQueue.Delivery.FAILED);

        answerAll(StatusReportQueue.Delivery.TAKEN);

        assertThat(sent).extracting(Call::status).containsExactly("live", "offline");
        assertThat(live.join()).isTrue();
        assertThat(offline.join()).isTrue();
        assertThat(counter("bifrost.ingest.control.status.retried", null, null)).isZero();
    }

    @Test
    void shouldDropTheOldestWaitingReportWhenTheQueueIsFull()
    {
        final StatusReportQueue queue = queue(1, 2, 8);
        final List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            results.add(queue.submit(stream(i), "offline", IngestProtocol.RTMP));
        }
        assertThat(queue.queued()).isEqualTo(2);

        answerAll(StatusReportQueue.Delivery.TAKEN);

        assertThat(sent).extracting(Call::streamId).containsExactly(stream(0), stream(3), stream(4));
        assertThat(results).extracting(CompletableFuture::join).containsExactly(true, false, false, true, true);
        assertThat(counter("bifrost.ingest.control.status.dropped", "reason", "overflow")).isEqualTo(2);
    }

    @Test
    void shouldSendWaitingRetriesAtOnceWhenDrained()
    {
        final StatusReportQueue queue = new StatusReportQueue(this::send, 4, 16, 8, 60_000, Runnable::run, meters);
        final CompletableFuture<Boolean> result = queue.submit(stream(1), "offline", IngestProtocol.RTMP);
        answer(calls.poll(), StatusReportQueue.Delivery.FAILED);
        assertThat(calls).as("backing off").isEmpty();

        final CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> queue.drain(10_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> !calls.isEmpty());
        answer(calls.poll(), StatusReportQueue.Delivery.TAKEN);
        drained.join();

        assertThat(result.join()).isTrue();
        assertThat(queue.submit(stream(2), "offline", IngestProtocol.RTMP).join()).as("closed").isFalse();
    }

    private StatusReportQueue queue(final int maxInFlight, final int maxQueued, final int maxAttempts)
    {
        return new StatusReportQueue(this::send, maxInFlight, maxQueued, maxAttempts, 5, Runnable::run, meters);
    }

    private CompletableFuture<StatusReportQueue.Delivery> send(final String streamId, final String status,
        final IngestProtocol protocol)
    {
        maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
        final Call call = new Call(streamId, status, new CompletableFuture<>());
        synchronized (sent)
        {
            sent.add(call);
        }
        calls.add(call);
        return call.answer();
    }

    /** Answer every call, those it leads to included, until none is outstanding or due. */
    private void answerAll(final StatusReportQueue.Delivery delivery)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline)
        {
            final Call call = calls.poll();
            if (null != call)
            {
                answer(call, delivery);
            }
            else if (0 == outstanding.get() && settled())
            {
                return;
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("calls still coming after 20 s");
    }

    private boolean settled()
    {
        // retries come back after a few milliseconds of backoff; quiet for 200 ms means none is due
        final int before;
        synchronized (sent)
        {
            before = sent.size();
        }
        try
        {
            await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        synchronized (sent)
        {
            return before == sent.size() && calls.isEmpty();
        }
    }

    private void answer(final Call call, final StatusReportQueue.Delivery delivery)
    {
        outstanding.decrementAndGet();
        call.answer().complete(delivery);
    }

    private double counter(final String name, final String tag, final String value)
    {
        return null == tag ? meters.get(name).counter().count() : meters.get(name).tag(tag, value).counter().count();
    }

    private static String stream(final int i)
    {
        return String.format("st_%032x", i);
    }
}
