package io.bifrost.edge.live;

/**
 * The numeric fields of a {@code WindowUpdate}: enough to answer LL-HLS blocking reloads and to evict parts that left
 * the window without parsing the playlist text.
 *
 * @param epoch                 origin session epoch.
 * @param firstMsn              EXT-X-MEDIA-SEQUENCE.
 * @param lastCompleteMsn       newest complete segment, -1 when none.
 * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE.
 * @param lastPartIndex         newest part of segment {@code lastCompleteMsn + 1}, -1 when none.
 * @param targetDurationMs      segment target duration.
 * @param partTargetMs          part target duration, 0 when not low-latency.
 */
public record LiveWindow(
    long epoch,
    long firstMsn,
    long lastCompleteMsn,
    long discontinuitySequence,
    int lastPartIndex,
    int targetDurationMs,
    int partTargetMs)
{
    /**
     * @return the msn of the newest segment the playlist lists (the in-progress one when it has parts).
     */
    public long lastMsn()
    {
        return lastPartIndex >= 0 ? lastCompleteMsn + 1 : lastCompleteMsn;
    }

    /**
     * LL-HLS blocking reload (RFC 8216bis section 6.2.5.2): does a playlist with this window contain segment
     * {@code msn} (when {@code part < 0}) or part {@code part} of segment {@code msn}, or something later?
     *
     * @param msn  the _HLS_msn asked for.
     * @param part the _HLS_part asked for, -1 when none.
     * @return true when the playlist satisfies the request.
     */
    public boolean reaches(final long msn, final int part)
    {
        if (msn <= lastCompleteMsn)
        {
            return true;
        }
        if (part < 0)
        {
            return false;
        }
        return msn == lastCompleteMsn + 1 && part <= lastPartIndex;
    }

    /**
     * RFC 8216bis section 6.2.5.2: a request more than two segments beyond the last one, or more parts beyond the last
     * part than the Advance Part Limit, is answered 400 at once (the origin's rules, docs/live.md).
     *
     * @param msn  _HLS_msn.
     * @param part _HLS_part, -1 when none.
     * @return true when the request is too far ahead of this window.
     */
    public boolean tooFarAhead(final long msn, final int part)
    {
        final long lastMsn = lastMsn();
        if (msn > lastMsn + 2)
        {
            return true;
        }
        if (part < 0)
        {
            return false;
        }
        final int limit = advancePartLimit();
        if (msn == lastMsn && lastPartIndex >= 0)
        {
            return part > lastPartIndex + limit;
        }
        return msn > lastMsn && part > limit;
    }

    /**
     * @return the Advance Part Limit in parts: three seconds worth of parts (10 at 333 ms), 3 when the part target is
     *         unknown (RFC 8216bis section 6.2.5.2, as the origin applies it).
     */
    public int advancePartLimit()
    {
        return partTargetMs > 0 ? (ADVANCE_PART_LIMIT_MS + partTargetMs - 1) / partTargetMs : DEFAULT_ADVANCE_PART_LIMIT;
    }

    /** RFC 8216bis section 6.2.5.2: the Advance Part Limit is three seconds. */
    static final int ADVANCE_PART_LIMIT_MS = 3_000;

    /** Parts a request may run ahead when the part target is unknown. */
    static final int DEFAULT_ADVANCE_PART_LIMIT = 3;
}
