package io.bifrost.control.stream;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link StreamRepository} must do, run against each database (H2 file, PostgreSQL) by a subclass that
 * opens a fresh, migrated store and can close and reopen it.
 */
abstract class StreamRepositoryContract
{
    private final StreamKeys keys = new StreamKeys(new SecureRandom());

    /**
     * @return the repository over the current store.
     */
    abstract StreamRepository repository();

    /**
     * Close the store and open it again (a restart).
     */
    abstract void reopen();

    private StreamRecord newStream(final String title, final Instant createdAt)
    {
        final String key = keys.newStreamKey();
        return new StreamRecord(keys.newStreamId(), title, null, null, null, Privacy.PUBLIC, StreamStatus.CREATED,
            StreamKeys.sha256Hex(key), StreamKeys.displayPrefix(key), false, null, createdAt, createdAt);
    }

    @Test
    void shouldFindAStreamByIdAndByItsKeyDigestWithEveryFieldIntact()
    {
        final String key = keys.newStreamKey();
        final Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
        final StreamRecord stream = new StreamRecord(keys.newStreamId(), "Caf\u00e9 \uD83C\uDFA5 live", "two\nlines", 15,
            Instant.parse("2026-02-01T20:00:00Z"), Privacy.UNLISTED, StreamStatus.CREATED, StreamKeys.sha256Hex(key),
            StreamKeys.displayPrefix(key), true, null, at, at);

        repository().insert(stream);

        assertThat(repository().find(stream.streamId())).contains(stream);
        assertThat(repository().findByKeySha256(StreamKeys.sha256Hex(key))).contains(stream);
        assertThat(repository().find(keys.newStreamId())).isEmpty();
        assertThat(repository().findByKeySha256(StreamKeys.sha256Hex(keys.newStreamKey()))).isEmpty();
    }

    @Test
    void shouldRefuseASecondStreamWithTheSameIdOrKey()
    {
        final StreamRecord stream = newStream("first", Instant.parse("2026-01-01T00:00:00Z"));
        repository().insert(stream);
        final StreamRecord sameKey = new StreamRecord(keys.newStreamId(), "other", null, null, null, Privacy.PUBLIC,
            StreamStatus.CREATED, stream.keySha256(), stream.keyPrefix(), false, null, stream.createdAt(), stream.createdAt());

        assertThatThrownBy(() -> repository().insert(stream)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> repository().insert(sameKey)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldListNewestFirstFilteredByStatusAndInPages()
    {
        final StreamRecord oldest = newStream("oldest", Instant.parse("2026-01-01T00:00:00Z"));
        final StreamRecord middle = newStream("middle", Instant.parse("2026-01-02T00:00:00Z"));
        final StreamRecord newest = newStream("newest", Instant.parse("2026-01-03T00:00:00Z"));
        for (final StreamRecord stream : List.of(middle, newest, oldest))
        {
            repository().insert(stream);
        }
        repository().updateStatus(middle.streamId(), StreamStatus.LIVE, IngestProtocol.RTMP, Instant.parse("2026-01-04T00:00:00Z"));

        assertThat(repository().list(null, 10, 0)).extracting(StreamRecord::title).containsExactly("newest", "middle", "oldest");
        assertThat(repository().list(null, 2, 1)).extracting(StreamRecord::title).containsExactly("middle", "oldest");
        assertThat(repository().list(StreamStatus.LIVE, 10, 0)).extracting(StreamRecord::title).containsExactly("middle");
        assertThat(repository().list(StreamStatus.REVOKED, 10, 0)).isEmpty();
    }

    @Test
    void shouldRecordStatusAndKeyChangesButNeverChangeARevokedStream()
    {
        final StreamRecord stream = newStream("t", Instant.parse("2026-01-01T00:00:00Z"));
        repository().insert(stream);
        final Instant later = Instant.parse("2026-01-01T01:00:00Z");

        assertThat(repository().updateStatus(stream.streamId(), StreamStatus.LIVE, IngestProtocol.SRT, later)).isTrue();
        assertThat(repository().updateStatus(stream.streamId(), StreamStatus.OFFLINE, null, later)).isTrue();
        final StreamRecord offline = repository().find(stream.streamId()).orElseThrow();
        assertThat(offline.status()).isEqualTo(StreamStatus.OFFLINE);
        assertThat(offline.liveProtocol()).as("kept when not reported").isEqualTo(IngestProtocol.SRT);
        assertThat(offline.updatedAt()).isEqualTo(later);
        assertThat(repository().replaceKey(stream.streamId(), "0".repeat(64), "sk_new00", later)).isTrue();
        assertThat(repository().findByKeySha256(stream.keySha256())).isEmpty();
        assertThat(repository().findByKeySha256("0".repeat(64))).isPresent();

        assertThat(repository().revoke(stream.streamId(), later)).isTrue();
        assertThat(repository().revoke(stream.streamId(), later)).isFalse();
        assertThat(repository().updateStatus(stream.streamId(), StreamStatus.LIVE, IngestProtocol.RTMP, later)).isFalse();
        assertThat(repository().replaceKey(stream.streamId(), "1".repeat(64), "sk_new11", later)).isFalse();
        assertThat(repository().find(stream.streamId()).orElseThrow().status()).isEqualTo(StreamStatus.REVOKED);
        assertThat(repository().revoke(keys.newStreamId(), later)).as("unknown").isFalse();
    }

    @Test
    void shouldKeepStreamsAcrossAReopen()
    {
        final StreamRecord kept = newStream("kept", Instant.parse("2026-01-01T00:00:00Z"));
        final StreamRecord revoked = newStream("revoked", Instant.parse("2026-01-02T00:00:00Z"));
        repository().insert(kept);
        repository().insert(revoked);
        repository().revoke(revoked.streamId(), Instant.parse("2026-01-03T00:00:00Z"));

        reopen();

        assertThat(repository().find(kept.streamId())).contains(kept);
        assertThat(repository().findByKeySha256(revoked.keySha256()).orElseThrow().status()).isEqualTo(StreamStatus.REVOKED);
        assertThat(repository().unavailabilityReason()).isNull();
    }

    @Test
    void shouldStartALiveSessionOnTheFirstLiveReportAndKeepItAcrossRepeatsOfflineAndAReopen()
    {
        final StreamRecord stream = newStream("live", Instant.parse("2026-01-01T00:00:00Z"));
        final StreamRecord never = newStream("never live", Instant.parse("2026-01-01T00:00:00Z"));
        repository().insert(stream);
        repository().insert(never);
        final Instant wentLive = Instant.parse("2026-01-02T10:00:00Z");

        repository().updateStatus(stream.streamId(), StreamStatus.LIVE, IngestProtocol.RTMP, wentLive);
        repository().updateStatus(stream.streamId(), StreamStatus.LIVE, null, wentLive.plusSeconds(600));
        repository().updateStatus(stream.streamId(), StreamStatus.OFFLINE, null, wentLive.plusSeconds(3600));
        reopen();

        assertThat(repository().liveSince(List.of(stream.streamId(), never.streamId(), "st_unknown")))
            .containsExactly(java.util.Map.entry(stream.streamId(), wentLive.toEpochMilli()));

        final Instant liveAgain = wentLive.plusSeconds(7200);
        repository().updateStatus(stream.streamId(), StreamStatus.LIVE, IngestProtocol.SRT, liveAgain);

        assertThat(repository().liveSince(List.of(stream.streamId()))).containsEntry(stream.streamId(), liveAgain.toEpochMilli());
    }
}
