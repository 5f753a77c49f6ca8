/*
 * Bifrost seed ABR: the product brief's adaptive bitrate selection ("Core Algorithms, 1. Adaptive Bitrate Selection"),
 * as a pure decision core plus an hls.js AbrController built on it. One plain file, no build step: the edge serves it
 * to browsers (window.BifrostSeedAbr) and Node loads it with require() (the unit tests under edge-node/src/test/js and
 * the ABR evaluation in perf/abr run this very file).
 *
 * The core never reads a clock or the DOM: callers pass times (ms) and buffer levels (s), so it is deterministic.
 *
 * Bandwidth estimate (seed "Bandwidth Estimation Algorithm"), recomputed on every completed download:
 *   1. keep the downloads that ended in the last measurementWindowMs (10 s); fewer than minMeasurements (3): no estimate;
 *   2. throughput of each = bytes * 8 / durationMs * 1000 (bits/s);
 *   3. outlier removal: drop throughputs more than outlierThreshold (2.0) standard deviations from their mean
 *      (when that would drop everything, keep everything);
 *   4. weighted average, newer downloads weigh more: weight = rank in time order (oldest 1 ... newest n);
 *   5. exponential smoothing with the previous estimate: 0.8 * previous + 0.2 * new (the first one stands alone).
 *
 * Level choice (seed "Bitrate Selection Algorithm"), levels ordered by bitrate, lowest first:
 *   bandwidth-based: the highest level whose bitrate * bandwidthSafetyMargin (1.2) <= estimate, else the lowest.
 *     A level's bitrate is the HLS BANDWIDTH attribute, the peak rate the level needs: the seed's "minBandwidth".
 *   buffer health (seconds of media ahead of the playhead):
 *     < critical (2 s): the lowest level, at once;
 *     < low (5 s): two levels below the bandwidth-based one;
 *     < healthy (10 s): the bandwidth-based level but never above the current one (no upgrade on a thin buffer);
 *     > high (20 s): one level above the bandwidth-based one;
 *     otherwise the bandwidth-based level.
 *   switching policy (seed switchingPolicy):
 *     up: only once an upgrade has been wanted continuously for upwardSwitchDelayMs (5 s) and the last switch is at
 *         least that old;
 *     down: as soon as the last switch is downwardSwitchDelayMs (1 s) old (so a fall is followed within 1 s), and at
 *         once when the buffer is critical.
 *   Without an estimate yet, the current level stays (the start level is the lowest: fastest startup).
 *   "Critical: the lowest level immediately" also applies to a download in flight (emergencyLevel): when the buffer
 *   is critical and finishing the download at its rate would take longer than fetching the same media at the lowest
 *   level (or no byte has come for 1 s), it is abandoned and the lowest level loaded instead.
 *   "Downward within 1 s" (inflightLevel): the estimate above moves only when downloads complete, so after a sharp
 *   fall a download at the old level could hold the switch for its whole (slowed) duration and the estimate for
 *   several more. The download in flight is therefore watched: its receive rate over the last 0.5 s or so, when it
 *   supports a lower level than the estimate did and the download is slower than real time (or finishing would take
 *   the buffer below critical), abandons it for the level that rate supports (margin 1.2, buffer rules applied) when
 *   fetching that is quicker than finishing. That rate then caps the estimate until the seed estimator comes down to
 *   it, following each later download's throughput, so the next requests stay down. The estimator itself is the
 *   seed's, unchanged.
 *   LL-HLS parts (partLevel): a 0.33 s part ends before 0.5 s of rate can be measured, so each completed part is
 *   tested the same way ("falling": slower than real time, its rate supports a lower level than the estimate chose)
 *   on its transfer from first byte to last, and the next request goes down at once. Parts also enter the estimator
 *   with that transfer time, not request to end: at the live edge the request for the next part waits on the server
 *   until the part is made (a held preload-hint request), which says how fast the encoder is, not the link.
 *
 * bufferScale multiplies the four thresholds: 1 for VOD (the seed's numbers); the player page scales them down for
 * live streams whose whole buffer is the live latency (a 3 s LL-HLS target would otherwise always look "critical").
 */
(function (root, factory)
{
    'use strict';
    const api = factory();
    if (typeof module === 'object' && module.exports)
    {
        module.exports = api;
    }
    else
    {
        root.BifrostSeedAbr = api;
    }
}(typeof self !== 'undefined' ? self : this, function ()
{
    'use strict';

    /** The seed's numbers (PRODUCT-BRIEF.md: BitrateConfig and BandwidthEstimator). */
    const SEED_CONFIG = Object.freeze({
        measurementWindowMs: 10000,
        minMeasurements: 3,
        smoothingFactor: 0.8,
        outlierThreshold: 2.0,
        bandwidthSafetyMargin: 1.2,
        criticalBufferS: 2,
        lowBufferS: 5,
        healthyBufferS: 10,
        highBufferS: 20,
        upwardSwitchDelayMs: 5000,
        downwardSwitchDelayMs: 1000,
        bufferScale: 1,
        maxHistory: 64
    });

    function withDefaults(config)
    {
        const merged = Object.assign({}, SEED_CONFIG, config || {});
        for (const key of Object.keys(SEED_CONFIG))
        {
            if (typeof merged[key] !== 'number' || !Number.isFinite(merged[key]) || merged[key] < 0)
            {
                throw new RangeError('seed ABR config ' + key + ' must be a finite number >= 0, got ' + merged[key]);
            }
        }
        if (merged.smoothingFactor > 1)
        {
            throw new RangeError('seed ABR config smoothingFactor must be in [0, 1]');
        }
        return Object.freeze(merged);
    }

    /**
     * Throughputs (bits/s) left after dropping those more than threshold standard deviations from the mean.
     * Returns the indexes kept, in order. Keeps everything when the spread is zero or everything would go.
     */
    function keepInliers(throughputs, threshold)
    {
        const n = throughputs.length;
        let mean = 0;
        for (const t of throughputs)
        {
            mean += t;
        }
        mean /= n;
        let variance = 0;
        for (const t of throughputs)
        {
            variance += (t - mean) * (t - mean);
        }
        const sd = Math.sqrt(variance / n);
        const kept = [];
        for (let i = 0; i < n; i++)
        {
            if (sd === 0 || Math.abs(throughputs[i] - mean) <= threshold * sd)
            {
                kept.push(i);
            }
        }
        if (kept.length === 0)
        {
            return throughputs.map((t, i) => i);
        }
        return kept;
    }

    /**
     * The seed's bandwidth estimator: call addDownload for every completed media download; estimate() is the smoothed
     * value after the last download (null until minMeasurements fit in the window).
     */
    class SeedBandwidthEstimator
    {
        constructor(config)
        {
            this.config = withDefaults(config);
            this.history = [];
            this.smoothed = null;
            this.lastRaw = null;
        }

        /**
         * @param endMs      when the download finished (ms, any monotonic clock shared with later calls).
         * @param bytes      bytes received.
         * @param durationMs request start to last byte (ms); downloads under 1 ms count as 1 ms.
         * @return the new estimate (bits/s) or null.
         */
        addDownload(endMs, bytes, durationMs)
        {
            if (!(bytes > 0) || !Number.isFinite(bytes) || !Number.isFinite(endMs) || !Number.isFinite(durationMs))
            {
                return this.smoothed;
            }
            const c = this.config;
            this.history.push({ endMs: endMs, bps: bytes * 8 / Math.max(durationMs, 1) * 1000 });
            if (this.history.length > c.maxHistory)
            {
                this.history.shift();
            }
            const recent = this.history.filter(d => endMs - d.endMs < c.measurementWindowMs);
            if (recent.length < c.minMeasurements)
            {
                return this.smoothed;
            }
            const throughputs = recent.map(d => d.bps);
            const kept = keepInliers(throughputs, c.outlierThreshold);
            let weighted = 0;
            let weights = 0;
            for (const i of kept)
            {
                const weight = i + 1;
                weighted += throughputs[i] * weight;
                weights += weight;
            }
            const raw = weighted / weights;
            this.lastRaw = raw;
            this.smoothed = this.smoothed === null ? raw :
                c.smoothingFactor * this.smoothed + (1 - c.smoothingFactor) * raw;
            return this.smoothed;
        }

        /** @return the current estimate in bits/s, or null when there is not enough data yet. */
        estimate()
        {
            return this.smoothed;
        }

        /** Forget everything (a new stream). */
        reset()
        {
            this.history = [];
            this.smoothed = null;
            this.lastRaw = null;
        }
    }

    /**
     * The seed's bitrate selection with its switching policy. Stateful only in the switching policy (when the last
     * switch happened, since when an upgrade has been wanted).
     */
    class SeedLevelSelector
    {
        constructor(config)
        {
            this.config = withDefaults(config);
            this.lastSwitchMs = -Infinity;
            this.upWantedSinceMs = null;
            this.ceiling = null;
        }

        /**
         * The estimate decisions use: the seed estimate, held down to the rate measured in flight by the last
         * inflightLevel() abandonment (the ceiling) until the seed estimator comes down to it. The ceiling follows the
         * throughput of each download completed after it (noteDownload), so it rises again when the link recovers.
         *
         * @param estimateBps the seed estimate or null.
         * @return the estimate to decide with, or null.
         */
        effectiveEstimate(estimateBps)
        {
            const ceiling = this.ceiling;
            if (ceiling === null)
            {
                return estimateBps === undefined ? null : estimateBps;
            }
            if (estimateBps !== null && estimateBps !== undefined && estimateBps <= ceiling.bps)
            {
                this.ceiling = null;
                return estimateBps;
            }
            return ceiling.bps;
        }

        /**
         * A completed download's throughput: moves the ceiling (if any) to it.
         *
         * @param bps bits/s of the download, start to last byte.
         */
        noteDownload(bps)
        {
            if (this.ceiling !== null && bps > 0 && Number.isFinite(bps))
            {
                this.ceiling.bps = bps;
            }
        }

        /**
         * @param levelBitrates bits/s of each level, ascending.
         * @param estimateBps   the bandwidth estimate or null.
         * @return the level the bandwidth alone supports (margin applied); the lowest when none or no estimate.
         */
        bandwidthLevel(levelBitrates, estimateBps)
        {
            if (estimateBps === null || estimateBps === undefined)
            {
                return 0;
            }
            for (let i = levelBitrates.length - 1; i >= 0; i--)
            {
                if (estimateBps >= levelBitrates[i] * this.config.bandwidthSafetyMargin)
                {
                    return i;
                }
            }
            return 0;
        }

        /**
         * The seed's adjustForBufferHealth (plus the healthy threshold as an upgrade gate).
         */
        bufferAdjusted(level, bufferS, currentLevel, maxLevel)
        {
            const c = this.config;
            const scale = c.bufferScale;
            if (bufferS < c.criticalBufferS * scale)
            {
                return 0;
            }
            if (bufferS < c.lowBufferS * scale)
            {
                return Math.max(level - 2, 0);
            }
            if (bufferS < c.healthyBufferS * scale)
            {
                return Math.min(level, Math.max(currentLevel, 0));
            }
            if (bufferS > c.highBufferS * scale)
            {
                return Math.min(level + 1, maxLevel);
            }
            return level;
        }

        /**
         * One decision.
         *
         * @param input.nowMs          time of the decision (ms, same clock as the estimator's).
         * @param input.levelBitrates  bits/s per level, ascending.
         * @param input.currentLevel   the level playing/loading now (-1: none yet).
         * @param input.bufferS        seconds buffered ahead of the playhead.
         * @param input.estimateBps    bandwidth estimate (bits/s) or null.
         * @return {level, target, reason}: level to load next; target is what the rules want before the policy.
         */
        decide(input)
        {
            const c = this.config;
            const levels = input.levelBitrates;
            const maxLevel = levels.length - 1;
            const current = input.currentLevel < 0 ? 0 : Math.min(input.currentLevel, maxLevel);
            if (this.effectiveEstimate(input.estimateBps) === null)
            {
                const critical = input.bufferS < c.criticalBufferS * c.bufferScale && input.currentLevel >= 0;
                return this.apply(input.nowMs, current, critical ? 0 : current, critical ? 'critical' : 'no-estimate');
            }
            const byBandwidth = this.bandwidthLevel(levels, this.effectiveEstimate(input.estimateBps));
            const target = this.bufferAdjusted(byBandwidth, input.bufferS, current, maxLevel);
            const critical = input.bufferS < c.criticalBufferS * c.bufferScale;
            return this.apply(input.nowMs, current, target, critical ? 'critical' : 'rules');
        }

        apply(nowMs, current, target, reason)
        {
            const c = this.config;
            if (target > current)
            {
                if (this.upWantedSinceMs === null)
                {
                    this.upWantedSinceMs = nowMs;
                }
                if (nowMs - this.upWantedSinceMs >= c.upwardSwitchDelayMs && nowMs - this.lastSwitchMs >= c.upwardSwitchDelayMs)
                {
                    return this.switchTo(nowMs, target, target, 'up');
                }
                return { level: current, target: target, reason: 'up-waiting' };
            }
            this.upWantedSinceMs = null;
            if (target < current)
            {
                if (reason === 'critical' || nowMs - this.lastSwitchMs >= c.downwardSwitchDelayMs)
                {
                    return this.switchTo(nowMs, target, target, reason === 'critical' ? 'critical' : 'down');
                }
                return { level: current, target: target, reason: 'down-waiting' };
            }
            return { level: current, target: target, reason: 'hold' };
        }

        /**
         * The critical-buffer rule for a download in flight.
         *
         * @param input.nowMs         now (ms).
         * @param input.bufferS       seconds buffered ahead of the playhead.
         * @param input.loadingLevel  the level being downloaded.
         * @param input.loadedBytes   bytes received so far.
         * @param input.expectedBytes the download's full size (or an estimate).
         * @param input.elapsedMs     since the request was sent.
         * @param input.lowestBytes   the same media's size at the lowest level (estimate).
         * @return 0 (the lowest level) when the download should be abandoned for it, else -1.
         */
        emergencyLevel(input)
        {
            const c = this.config;
            if (input.loadingLevel <= 0 || !(input.bufferS < c.criticalBufferS * c.bufferScale) ||
                input.loadedBytes >= input.expectedBytes)
            {
                return -1;
            }
            let abandon;
            if (input.loadedBytes > 0 && input.elapsedMs > 0)
            {
                const bytesPerMs = input.loadedBytes / input.elapsedMs;
                abandon = (input.expectedBytes - input.loadedBytes) / bytesPerMs > input.lowestBytes / bytesPerMs;
            }
            else
            {
                abandon = input.elapsedMs >= 1000;
            }
            if (!abandon)
            {
                return -1;
            }
            this.switchTo(input.nowMs, 0, 0, 'critical');
            return 0;
        }

        /**
         * "Downward within 1 s" for a download in flight: the seed estimate only moves when downloads complete (three in
         * its 10 s window, smoothed by 0.8), so after a fall a long download at the old level would hold the switch for
         * many seconds. This rule reads the download's own receive rate over its last half second or so and abandons it
         * for a lower level when either
         *   falling:  the rate supports a lower level than the estimate the download was chosen with (margin 1.2 on
         *             both), and the download is slower than real time (its media drains from the buffer faster than
         *             it arrives); or
         *   starving: finishing at that rate would leave less than the critical buffer;
         * and fetching the same media whole at the new level is quicker than finishing. The new level is the one the
         * rate supports (margin 1.2), adjusted by the buffer rules as decide() does, below the loading level; when
         * starving, lowered further until its fetch ends above the critical buffer. The rate then caps the estimate
         * (effectiveEstimate) until the seed estimator agrees, so the next decisions do not climb straight back.
         * A download with no progress in the window is left to emergencyLevel (no rate, no guess).
         *
         * @param input.nowMs          now (ms).
         * @param input.levelBitrates  bits/s per level, ascending (as decide()).
         * @param input.loadingLevel   the level being downloaded.
         * @param input.bufferS        seconds buffered ahead of the playhead.
         * @param input.estimateBps    the seed estimate (before the ceiling) or null.
         * @param input.recentBps      the download's receive rate over its last >= 0.5 s (bits/s), null if unknown.
         * @param input.remainingBytes bytes still to come.
         * @param input.mediaS         seconds of media the download carries.
         * @param input.levelBytes     function(level): the same media's size in bytes at that level (estimate).
         * @return {level, target, reason} (reason 'falling' or 'starving') to abandon for, or null to let it finish.
         */
        inflightLevel(input)
        {
            const c = this.config;
            const loading = input.loadingLevel;
            const rate = input.recentBps;
            if (loading <= 0 || !(rate > 0) || !Number.isFinite(rate) || !(input.remainingBytes > 0) ||
                !(input.mediaS > 0))
            {
                return null;
            }
            const levels = input.levelBitrates;
            const finishS = input.remainingBytes * 8 / rate;
            const criticalS = c.criticalBufferS * c.bufferScale;
            const byRate = this.bandwidthLevel(levels, rate);
            const estimate = this.effectiveEstimate(input.estimateBps);
            const chosenFor = estimate === null ? loading : Math.min(loading, this.bandwidthLevel(levels, estimate));
            const slowerThanRealTime = rate < input.levelBytes(loading) * 8 / input.mediaS;
            const falling = byRate < chosenFor && slowerThanRealTime;
            const starving = input.bufferS - finishS < criticalS;
            if (!falling && !starving)
            {
                return null;
            }
            let level = this.bufferAdjusted(byRate, input.bufferS, loading - 1, loading - 1);
            while (starving && level > 0 && input.bufferS - input.levelBytes(level) * 8 / rate < criticalS)
            {
                level--;
            }
            if (!(input.levelBytes(level) * 8 / rate < finishS))
            {
                return null;
            }
            this.ceiling = { bps: rate, atMs: input.nowMs };
            return this.switchTo(input.nowMs, level, level, starving ? 'starving' : 'falling');
        }

        /**
         * "Downward within 1 s" for short downloads: an LL-HLS part (0.33 s on Bifrost's edge) ends before
         * inflightLevel() can measure a rate over half a second, so the same "falling" test is applied to each
         * completed part instead, on its transfer rate from first byte to last. The wait before the first byte is left
         * out: at the live edge a request for a part that does not exist yet (the preload hint) is held by the server
         * until the part is made, so request-to-end tells when the part was made, not how fast the link is. The part
         * falls when its transfer took longer than its media lasts (slower than real time) and its rate supports a
         * lower level than the estimate it was chosen with (margin 1.2 on both); the next request then goes to the
         * level that rate supports, buffer rules applied as in inflightLevel(), below the loaded level, at once (no
         * 1 s wait: the part already showed the fall). The rate caps the estimate as after an abandonment. A short
         * transfer on a fast link measures too high, never too low, so noise can delay this rule but not fire it.
         *
         * Call it before the part is added to the estimator, so the estimate is the one the part was chosen with.
         *
         * @param input.nowMs         now (ms).
         * @param input.levelBitrates bits/s per level, ascending (as decide()).
         * @param input.loadedLevel   the level of the completed part.
         * @param input.bufferS       seconds buffered ahead of the playhead.
         * @param input.estimateBps   the seed estimate (before the ceiling) or null.
         * @param input.bytes         bytes of the part.
         * @param input.transferMs    first byte to last byte (ms).
         * @param input.mediaS        seconds of media in the part.
         * @return {level, target, reason: 'part-falling'} for the next request, or null.
         */
        partLevel(input)
        {
            const loaded = input.loadedLevel;
            if (loaded <= 0 || !(input.bytes > 0) || !(input.transferMs > 0) || !Number.isFinite(input.transferMs) ||
                !(input.mediaS > 0) || !(input.transferMs > input.mediaS * 1000))
            {
                return null;
            }
            const levels = input.levelBitrates;
            const rate = input.bytes * 8 / input.transferMs * 1000;
            const byRate = this.bandwidthLevel(levels, rate);
            const estimate = this.effectiveEstimate(input.estimateBps);
            const chosenFor = estimate === null ? loaded : Math.min(loaded, this.bandwidthLevel(levels, estimate));
            if (!(byRate < chosenFor))
            {
                return null;
            }
            const level = this.bufferAdjusted(byRate, input.bufferS, loaded - 1, loaded - 1);
            this.ceiling = { bps: rate, atMs: input.nowMs };
            return this.switchTo(input.nowMs, level, level, 'part-falling');
        }

        switchTo(nowMs, level, target, reason)
        {
            this.lastSwitchMs = nowMs;
            this.upWantedSinceMs = null;
            return { level: level, target: target, reason: reason };
        }

        /** Forget the switching history (a new stream). */
        reset()
        {
            this.lastSwitchMs = -Infinity;
            this.upWantedSinceMs = null;
            this.ceiling = null;
        }
    }

    /** Seconds buffered ahead of currentTime in a TimeRanges-like object. */
    function bufferedAhead(buffered, currentTime)
    {
        if (!buffered)
        {
            return 0;
        }
        for (let i = 0; i < buffered.length; i++)
        {
            // 0.1 s tolerance: playback may sit just before a range that starts a frame later.
            if (buffered.start(i) <= currentTime + 0.1 && currentTime < buffered.end(i))
            {
                return buffered.end(i) - currentTime;
            }
        }
        return 0;
    }

    /** How old the progress sample a download's recent rate is measured from must at least be (ms). */
    const RATE_SPAN_MS = 500;

    /**
     * A download's recent receive rate: from the newest progress sample at least RATE_SPAN_MS old to now. Samples are
     * taken only once bytes have come (or anchored at the first byte's time with 0 bytes), so the wait for the first
     * byte is not counted. Records (nowMs, loaded) as a sample.
     *
     * @param samples  the download's samples [{t, loaded}], oldest first (appended to, kept short).
     * @param nowMs    now.
     * @param loaded   bytes received so far.
     * @return bits/s, or null while no sample is old enough.
     */
    function recentRate(samples, nowMs, loaded)
    {
        let from = null;
        for (let i = samples.length - 1; i >= 0; i--)
        {
            if (nowMs - samples[i].t >= RATE_SPAN_MS)
            {
                from = samples[i];
                break;
            }
        }
        if (loaded > 0)
        {
            samples.push({ t: nowMs, loaded: loaded });
            if (samples.length > 16)
            {
                samples.shift();
            }
        }
        if (from === null || !(loaded > 0))
        {
            return null;
        }
        return (loaded - from.loaded) * 8 / (nowMs - from.t) * 1000;
    }

    /**
     * A completed download's first byte to last byte (ms, at least 1) from hls.js load stats ({start, first, end}), or
     * null when the stats hold no first byte.
     */
    function partTransferMs(loading)
    {
        if (!(loading.first > 0) || loading.first < loading.start || !(loading.end >= loading.first))
        {
            return null;
        }
        return Math.max(loading.end - loading.first, 1);
    }

    /**
     * An hls.js AbrController class (config.abrController) running the seed algorithm. Written against the interface
     * hls.js 1.4 to 1.7 call: constructor(hls), nextAutoLevel get/set, firstAutoLevel, forcedAutoLevel, bwEstimator,
     * resetEstimator(), clearTimer(), destroy(). Down switches take effect at the next fragment or part request,
     * or at once after a completed part that fell (partLevel), or sooner for the download in flight: while a main
 * fragment (or part) loads, every 100 ms checkEmergency()
     * samples its progress and applies SeedLevelSelector.emergencyLevel (critical buffer) and then inflightLevel
     * (the download's recent rate, "downward within 1 s"); when one says so, it aborts the load the way hls.js's own
     * controller does (hls.nextLoadLevel, frag.abortRequests(), FRAG_LOAD_EMERGENCY_ABORTED) and forces the new level
     * for the next request.
     *
     * @param Hls     the hls.js class (for Hls.Events).
     * @param options {config: seed config overrides, now: () => ms (default performance.now; must be the clock of
     *                hls.js's load stats), onDecision(d), timers: {setInterval, clearInterval} (default the global ones)}.
     */
    function createHlsAbrController(Hls, options)
    {
        const opts = options || {};
        const now = opts.now || (() => performance.now());
        const Events = Hls.Events;
        const timers = opts.timers || { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: id => clearInterval(id) };
        // hls.js's own controller checks its download in flight every 100 ms too.
        const EMERGENCY_CHECK_MS = 100;

        return class SeedAbrController
        {
            constructor(hls)
            {
                this.hls = hls;
                this.estimator = new SeedBandwidthEstimator(opts.config);
                this.selector = new SeedLevelSelector(opts.config);
                this.forced = -1;
                this.lastLoadedLevel = -1;
                this.lastDecision = null;
                const self = this;
                // What hls.bandwidthEstimate and friends read.
                this.bwEstimator = {
                    getEstimate: () => self.estimator.estimate() === null ? 5e5 : self.estimator.estimate(),
                    getEstimateTTFB: () => 100,
                    canEstimate: () => self.estimator.estimate() !== null,
                    get defaultEstimate()
                    {
                        return 5e5;
                    },
                    sample: () => {},
                    sampleTTFB: () => {},
                    update: () => {},
                    destroy: () => {}
                };
                this.loading = null;
                this.timer = null;
                this.onFragLoaded = this.onFragLoaded.bind(this);
                this.onFragLoading = this.onFragLoading.bind(this);
                this.onManifestLoading = this.onManifestLoading.bind(this);
                this.clearTimer = this.clearTimer.bind(this);
                hls.on(Events.FRAG_LOADED, this.onFragLoaded);
                hls.on(Events.FRAG_LOADING, this.onFragLoading);
                hls.on(Events.FRAG_LOAD_EMERGENCY_ABORTED, this.clearTimer);
                hls.on(Events.ERROR, this.clearTimer);
                hls.on(Events.MANIFEST_LOADING, this.onManifestLoading);
            }

            onFragLoading(event, data)
            {
                const frag = data.frag;
                if (!frag || frag.type !== 'main' || frag.sn === 'initSegment' || frag.bitrateTest)
                {
                    return;
                }
                this.clearTimer();
                this.loading = { frag: frag, part: data.part || null, samples: [] };
                this.timer = timers.setInterval(() => this.checkEmergency(), EMERGENCY_CHECK_MS);
            }

            /**
             * The critical-buffer rule for the main fragment (or part) loading now; true when it was abandoned.
             */
            checkEmergency()
            {
                const loading = this.loading;
                const hls = this.hls;
                if (!loading || !hls)
                {
                    this.clearTimer();
                    return false;
                }
                const frag = loading.frag;
                const stats = loading.part ? loading.part.stats : frag.stats;
                const duration = loading.part ? loading.part.duration : frag.duration;
                const levels = hls.levels || [];
                if (!stats || stats.aborted || (stats.loaded > 0 && stats.loaded === stats.total) || !levels[frag.level])
                {
                    this.clearTimer();
                    return false;
                }
                const lowest = this.clamp(0);
                if (frag.level <= lowest)
                {
                    return false;
                }
                const nowMs = now();
                const loaded = stats.loaded || 0;
                if (loading.samples.length === 0 && stats.loading.first > 0)
                {
                    // The first byte's time anchors the rate (nothing counted before it).
                    loading.samples.push({ t: stats.loading.first, loaded: 0 });
                }
                const bufferS = this.bufferS();
                const expectedBytes = stats.total > 0 ? stats.total : duration * levels[frag.level].bitrate / 8;
                let next = -1;
                let reason = 'critical-abort';
                if (this.selector.emergencyLevel({
                    nowMs: nowMs,
                    bufferS: bufferS,
                    loadingLevel: frag.level - lowest,
                    loadedBytes: loaded,
                    expectedBytes: expectedBytes,
                    elapsedMs: nowMs - stats.loading.start,
                    lowestBytes: duration * levels[lowest].bitrate / 8
                }) === 0)
                {
                    next = lowest;
                }
                else
                {
                    const decision = this.selector.inflightLevel({
                        nowMs: nowMs,
                        levelBitrates: this.levelBitrates(),
                        loadingLevel: frag.level,
                        bufferS: bufferS,
                        estimateBps: this.estimator.estimate(),
                        recentBps: recentRate(loading.samples, nowMs, loaded),
                        remainingBytes: expectedBytes - loaded,
                        mediaS: duration,
                        levelBytes: level => expectedBytes * levels[level].bitrate / levels[frag.level].bitrate
                    });
                    if (decision !== null)
                    {
                        next = this.clamp(decision.level);
                        reason = decision.reason + '-abort';
                    }
                }
                if (next < 0 || next >= frag.level)
                {
                    return false;
                }
                this.clearTimer();
                if (opts.onDecision)
                {
                    opts.onDecision({ level: next, target: next, reason: reason });
                }
                hls.nextLoadLevel = next;
                this.forced = next;
                if (typeof frag.abortRequests === 'function')
                {
                    frag.abortRequests();
                }
                hls.trigger(Events.FRAG_LOAD_EMERGENCY_ABORTED, { frag: frag, part: loading.part, stats: stats });
                return true;
            }

            onManifestLoading()
            {
                this.clearTimer();
                this.estimator.reset();
                this.selector.reset();
                this.forced = -1;
                this.lastLoadedLevel = -1;
            }

            onFragLoaded(event, data)
            {
                const frag = data.frag;
                // Main media only (not alt audio, subtitles or init segments), as hls.js's own controller.
                if (!frag || frag.type !== 'main' || frag.sn === 'initSegment')
                {
                    return;
                }
                const part = data.part || null;
                const stats = part ? part.stats : frag.stats;
                const loading = stats.loading;
                const nowMs = now();
                let durationMs = loading.end - loading.start;
                let decision = null;
                if (part)
                {
                    // A part's time is its transfer, first byte to last: never a held request's wait for the part to
                    // be made (at the live edge nearly every request for the next part waits so).
                    const transferMs = partTransferMs(loading);
                    if (transferMs !== null)
                    {
                        durationMs = transferMs;
                        decision = this.selector.partLevel({
                            nowMs: nowMs,
                            levelBitrates: this.levelBitrates(),
                            loadedLevel: frag.level,
                            bufferS: this.bufferS(),
                            estimateBps: this.estimator.estimate(),
                            bytes: stats.loaded,
                            transferMs: transferMs,
                            mediaS: part.duration
                        });
                    }
                }
                this.estimator.addDownload(nowMs, stats.loaded, durationMs);
                if (decision === null)
                {
                    this.selector.noteDownload(stats.loaded * 8 / Math.max(durationMs, 1) * 1000);
                }
                if (frag.level === this.forced)
                {
                    this.forced = -1;
                }
                this.lastLoadedLevel = frag.level;
                this.clearTimer();
                if (decision !== null && this.clamp(decision.level) < frag.level)
                {
                    this.forced = this.clamp(decision.level);
                    if (opts.onDecision)
                    {
                        opts.onDecision({ level: this.forced, target: decision.target, reason: decision.reason });
                    }
                }
            }

            levelBitrates()
            {
                return (this.hls.levels || []).map(level => level.bitrate);
            }

            bufferS()
            {
                const media = this.hls.media;
                return media ? bufferedAhead(media.buffered, media.currentTime) : 0;
            }

            get firstAutoLevel()
            {
                return this.clamp(0);
            }

            get forcedAutoLevel()
            {
                return this.forced;
            }

            get nextAutoLevel()
            {
                if (this.forced !== -1)
                {
                    return this.forced;
                }
                const levels = this.levelBitrates();
                if (levels.length <= 1)
                {
                    return 0;
                }
                const current = this.lastLoadedLevel;
                const decision = this.selector.decide({
                    nowMs: now(),
                    levelBitrates: levels,
                    currentLevel: current,
                    bufferS: this.bufferS(),
                    estimateBps: this.estimator.estimate()
                });
                this.lastDecision = decision;
                if (opts.onDecision)
                {
                    opts.onDecision(decision);
                }
                return this.clamp(decision.level);
            }

            // hls.js forces a level for one fragment after a load error (usually one down).
            set nextAutoLevel(level)
            {
                this.forced = level < 0 ? -1 : this.clamp(level);
            }

            clamp(level)
            {
                const hls = this.hls;
                const min = typeof hls.minAutoLevel === 'number' ? hls.minAutoLevel : 0;
                const max = typeof hls.maxAutoLevel === 'number' && hls.maxAutoLevel >= 0 ? hls.maxAutoLevel :
                    Math.max((hls.levels || []).length - 1, 0);
                return Math.min(Math.max(level, min), max);
            }

            resetEstimator()
            {
                this.estimator.reset();
            }

            /**
             * Scale the buffer thresholds from now on (live: to the player's latency target, which hls.js knows only
             * once the first playlist is in). The switching history and the estimate are kept.
             *
             * @param scale multiplier of the seed's 2 / 5 / 10 / 20 s thresholds, finite and > 0.
             */
            setBufferScale(scale)
            {
                if (!(scale > 0) || !Number.isFinite(scale))
                {
                    throw new RangeError('bufferScale must be a finite number > 0, got ' + scale);
                }
                this.selector.config = withDefaults(Object.assign({}, this.selector.config, { bufferScale: scale }));
            }

            clearTimer()
            {
                if (this.timer !== null)
                {
                    timers.clearInterval(this.timer);
                    this.timer = null;
                }
                this.loading = null;
            }

            destroy()
            {
                this.clearTimer();
                if (this.hls)
                {
                    this.hls.off(Events.FRAG_LOADED, this.onFragLoaded);
                    this.hls.off(Events.FRAG_LOADING, this.onFragLoading);
                    this.hls.off(Events.FRAG_LOAD_EMERGENCY_ABORTED, this.clearTimer);
                    this.hls.off(Events.ERROR, this.clearTimer);
                    this.hls.off(Events.MANIFEST_LOADING, this.onManifestLoading);
                }
                this.hls = null;
            }
        };
    }

    return Object.freeze({
        SEED_CONFIG: SEED_CONFIG,
        SeedBandwidthEstimator: SeedBandwidthEstimator,
        SeedLevelSelector: SeedLevelSelector,
        keepInliers: keepInliers,
        bufferedAhead: bufferedAhead,
        recentRate: recentRate,
        partTransferMs: partTransferMs,
        createHlsAbrController: createHlsAbrController
    });
}));
