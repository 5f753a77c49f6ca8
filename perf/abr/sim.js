'use strict';
/*
 * A deterministic playback simulator for comparing ABR controllers: one segment request at a time over a link
 * whose throughput follows a trace, a playback buffer filled up to hls.js's maxBufferLength, stalls when it runs dry.
 *
 * Time advances in 10 ms steps. A request spends rttMs before its first byte, then receives bytes at the trace's
 * rate. Playback starts when the first segment is buffered; a stall begins when the buffer empties before the last
 * segment, and ends when the next segment arrives.
 *
 * Live LL-HLS (options.live): the "segments" are parts made in real time, part i complete at
 * (i + 1) * segmentS - joinLatencyS seconds (the player joins joinLatencyS behind the live edge). Only parts already
 * made and the next one (the preload hint) may be requested; a request for the hinted part is held by the server
 * until the part exists, so its first byte comes at max(request + rtt/2, made) + rtt/2. Part sizes follow the GOP:
 * the first part of each segment carries the keyframe and is keyframeFactor times the others' size (same average).
 * Controllers:
 *   nextLevel({nowMs, bufferS}) -> level for the next request
 *   onFragLoaded({level, bytes, loadStartMs, firstByteMs, endMs})
 *   checkAbandon({...}) -> null | {level, abort, atMs}   (optional; hls.js's emergency switch-down, every 100 ms)
 *   onAbort(bufferS, level) -> level to reload the segment at
 */

const path = require('node:path');
const seedAbr = require(path.join(__dirname, '..', '..', 'edge-node', 'src', 'main', 'resources', 'player', 'seed-abr.js'));

const STEP_MS = 10;
const ABANDON_CHECK_MS = 100;

/** Deterministic PRNG (mulberry32). */
function random(seed)
{
    let a = seed >>> 0;
    return () =>
    {
        a = (a + 0x6D2B79F5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/**
 * The ladder Bifrost makes for a 1080p source (gpu-transcoder LadderRung: 500k..8M video, AAC 128k), as a master
 * playlist advertises it: AVERAGE-BANDWIDTH = video + audio, BANDWIDTH (peak) = 1.2 x average.
 */
function bifrostLadder()
{
    return [500e3, 1e6, 2.5e6, 5e6, 8e6].map(video =>
    {
        const averageBitrate = video + 128e3;
        return { averageBitrate: averageBitrate, maxBitrate: Math.round(averageBitrate * 1.2) };
    });
}

/**
 * Bytes of each segment of each level: VBR, +-20% around the average, the same for every controller. With gop
 * ({partsPerSegment, keyframeFactor}) the "segments" are parts and the first of every partsPerSegment is
 * keyframeFactor times the size of the others, the segment's average unchanged.
 */
function segmentSizes(ladder, segmentS, count, seed, gop)
{
    const next = random(seed);
    const factors = Array.from({ length: count }, () => 0.8 + 0.4 * next());
    if (gop)
    {
        const n = gop.partsPerSegment;
        const other = n / (gop.keyframeFactor + n - 1);
        for (let i = 0; i < count; i++)
        {
            factors[i] *= i % n === 0 ? gop.keyframeFactor * other : other;
        }
    }
    return ladder.map(level => factors.map(f => Math.round(level.averageBitrate * segmentS * f / 8)));
}

/**
 * @param options.trace      {name, rttMs, bpsAt(ms)}
 * @param options.controller a controller (see above)
 * @param options.ladder     levels ascending
 * @param options.live       optional LL-HLS: {joinLatencyS, partsPerSegment, keyframeFactor} (see above)
 * @return per-session metrics and the request log.
 */
function simulate(options)
{
    const { trace, controller, ladder } = options;
    const segmentS = options.segmentS || 4;
    const mediaS = options.mediaS || 300;
    const maxBufferS = options.maxBufferS || 30;
    const count = Math.ceil(mediaS / segmentS);
    const live = options.live || null;
    const sizes = options.sizes || segmentSizes(ladder, segmentS, count, 7, live);
    // When each "segment" exists: VOD from the start, a live part once made.
    const madeAtMs = i => live === null ? -Infinity : ((i + 1) * segmentS - live.joinLatencyS) * 1000;
    const limitMs = options.limitMs || mediaS * 1000 * 20;

    let nowMs = 0;
    let bufferS = 0;
    let started = false;
    let startupMs = null;
    let stalled = false;
    let stallStartMs = 0;
    let stallMs = 0;
    let stalls = 0;
    let playedS = 0;
    let next = 0;
    let download = null;
    let pendingAbandon = null;
    let nextAbandonCheckMs = 0;
    const requests = [];
    const played = [];
    let bytesReceived = 0;
    // A request sent now: its first byte after a round trip, or, for a part not made yet, once made (held).
    const request = (level, segment) => ({ level, segment, bytes: sizes[level][segment], loaded: 0, loadStartMs: nowMs,
        firstByteMs: null,
        firstByteAtMs: Math.max(nowMs + trace.rttMs / 2, madeAtMs(segment)) + trace.rttMs / 2 });

    while (playedS < count * segmentS - 1e-9 && nowMs < limitMs)
    {
        if (download === null && next < count && bufferS < maxBufferS && madeAtMs(next) <= nowMs + segmentS * 1000)
        {
            const level = controller.nextLevel({ nowMs, bufferS });
            download = request(level, next);
            requests.push({ atMs: nowMs, segment: next, level, held: madeAtMs(next) > nowMs });
            nextAbandonCheckMs = nowMs + ABANDON_CHECK_MS;
            pendingAbandon = null;
        }
        // Network.
        if (download !== null)
        {
            const sinceFirstByte = nowMs + STEP_MS - download.firstByteAtMs;
            if (sinceFirstByte > 0)
            {
                if (download.firstByteMs === null)
                {
                    download.firstByteMs = download.firstByteAtMs;
                }
                const activeMs = Math.min(STEP_MS, sinceFirstByte);
                const gain = trace.bpsAt(nowMs) * activeMs / 8000;
                const needed = download.bytes - download.loaded;
                if (gain >= needed)
                {
                    const endMs = nowMs + STEP_MS - activeMs + needed / gain * activeMs;
                    download.loaded = download.bytes;
                    bytesReceived += needed;
                    controller.onFragLoaded({ level: download.level, bytes: download.bytes, loadStartMs: download.loadStartMs,
                        firstByteMs: download.firstByteMs, endMs, bufferS });
                    bufferS += segmentS;
                    played.push(download.level);
                    next++;
                    download = null;
                    pendingAbandon = null;
                }
                else
                {
                    download.loaded += gain;
                    bytesReceived += gain;
                }
            }
        }
        nowMs += STEP_MS;
        // hls.js's abandon timer.
        if (download !== null && controller.checkAbandon && nowMs >= nextAbandonCheckMs)
        {
            nextAbandonCheckMs += ABANDON_CHECK_MS;
            if (pendingAbandon === null)
            {
                pendingAbandon = controller.checkAbandon({ nowMs, level: download.level, loaded: download.loaded,
                    expectedBytes: download.bytes, loadStartMs: download.loadStartMs, firstByteMs: download.firstByteMs,
                    bufferS });
                if (pendingAbandon !== null && !pendingAbandon.abort)
                {
                    pendingAbandon = null;
                    nextAbandonCheckMs = Infinity;
                }
            }
        }
        if (download !== null && pendingAbandon !== null && nowMs >= pendingAbandon.atMs)
        {
            const level = controller.onAbort(bufferS, pendingAbandon.level);
            requests[requests.length - 1].abandoned = true;
            download = request(level, download.segment);
            requests.push({ atMs: nowMs, segment: download.segment, level, afterAbandon: true });
            pendingAbandon = null;
            nextAbandonCheckMs = nowMs + ABANDON_CHECK_MS;
        }
        // Playback.
        if (!started && bufferS > 0)
        {
            started = true;
            startupMs = nowMs;
        }
        if (started)
        {
            if (stalled && bufferS > 0)
            {
                stalled = false;
                stallMs += nowMs - stallStartMs;
            }
            if (!stalled)
            {
                const step = Math.min(STEP_MS / 1000, bufferS);
                bufferS -= step;
                playedS += step;
                if (bufferS <= 1e-9 && playedS < count * segmentS - 1e-9)
                {
                    bufferS = 0;
                    stalled = true;
                    stalls++;
                    stallStartMs = nowMs;
                }
            }
        }
    }
    const meanBitrate = played.reduce((sum, level) => sum + ladder[level].averageBitrate, 0) / played.length;
    let switches = 0;
    for (let i = 1; i < played.length; i++)
    {
        if (played[i] !== played[i - 1])
        {
            switches++;
        }
    }
    return {
        startupMs, stalls, stallMs, playedS, rebufferRatio: stallMs / (stallMs + playedS * 1000),
        meanBitrate, switches, requests, played, bytesReceived, endMs: nowMs
    };
}

/**
 * The seed ABR's hls.js controller class (seed-abr.js) driven through a stand-in for the hls.js object. parts: the
 * downloads are LL-HLS parts, reported as hls.js reports them (FRAG_LOADING / FRAG_LOADED with data.part).
 */
function seedController(ladder, config, segmentS = 4, parts = false)
{
    let nowMs = 0;
    let bufferS = 0;
    const listeners = {};
    const Hls = { Events: { FRAG_LOADED: 'hlsFragLoaded', FRAG_LOADING: 'hlsFragLoading',
        MANIFEST_LOADING: 'hlsManifestLoading', FRAG_LOAD_EMERGENCY_ABORTED: 'hlsFragLoadEmergencyAborted',
        ERROR: 'hlsError' } };
    const hls = {
        levels: ladder.map(level => ({ bitrate: level.maxBitrate })),
        media: { currentTime: 0, buffered: { length: 1, start: () => 0, end: () => bufferS } },
        minAutoLevel: 0,
        maxAutoLevel: ladder.length - 1,
        nextLoadLevel: -1,
        on: (event, fn) =>
        {
            listeners[event] = fn;
        },
        off: () => {},
        trigger: () => {}
    };
    // The controller's 100 ms emergency timer is driven by checkAbandon below, on the simulator's clock.
    // Every decision that moved the level, or would have: {atMs, level, target, reason}.
    const decisions = [];
    const Controller = seedAbr.createHlsAbrController(Hls, { now: () => nowMs, config: config,
        timers: { setInterval: () => 1, clearInterval: () => {} },
        onDecision: d =>
        {
            if (d.reason !== 'hold' && d.reason !== 'no-estimate')
            {
                decisions.push({ atMs: nowMs, level: d.level, target: d.target, reason: d.reason });
            }
        } });
    const controller = new Controller(hls);
    let frag = null;
    let part = null;
    let lastCheckMs = 0;
    return {
        name: 'seed',
        controller: controller,
        decisions: decisions,
        nextLevel(view)
        {
            nowMs = view.nowMs;
            bufferS = view.bufferS;
            return controller.nextAutoLevel;
        },
        /** The glue's checkEmergency every 100 ms of a download, on a frag whose stats follow the download. */
        checkAbandon(loading)
        {
            nowMs = loading.nowMs;
            bufferS = loading.bufferS;
            if (frag === null || frag.stats.loading.start !== loading.loadStartMs)
            {
                frag = { type: 'main', sn: 1, level: loading.level, duration: segmentS,
                    stats: { loaded: 0, total: loading.expectedBytes, aborted: false,
                        loading: { start: loading.loadStartMs, first: 0 } },
                    abortRequests: () => {} };
                part = parts ? { duration: segmentS, stats: frag.stats } : null;
                listeners.hlsFragLoading('hlsFragLoading', { frag: frag, part: part });
                lastCheckMs = loading.nowMs;
            }
            // The download's progress as hls.js's loader reports it: bytes so far, time of the first byte.
            frag.stats.loaded = Math.floor(loading.loaded);
            frag.stats.loading.first = loading.firstByteMs === null ? 0 : loading.firstByteMs;
            if (loading.nowMs - lastCheckMs < 100)
            {
                return null;
            }
            lastCheckMs = loading.nowMs;
            return controller.checkEmergency() ? { level: controller.forcedAutoLevel, abort: true, atMs: nowMs } : null;
        },
        onAbort(bufferNowS, level)
        {
            frag = null;
            return level;
        },
        onFragLoaded(done)
        {
            frag = null;
            nowMs = done.endMs;
            bufferS = done.bufferS === undefined ? bufferS : done.bufferS;
            const stats = { loaded: done.bytes, loading: { start: done.loadStartMs, first: done.firstByteMs, end: done.endMs } };
            listeners.hlsFragLoaded('hlsFragLoaded', { frag: { type: 'main', sn: 1, level: done.level, duration: segmentS,
                stats: stats }, part: parts ? { duration: segmentS, stats: stats } : undefined });
        },
        estimateBps()
        {
            return controller.bwEstimator.getEstimate();
        }
    };
}

module.exports = { simulate, seedController, bifrostLadder, segmentSizes, random, STEP_MS };
