'use strict';
// The seed ABR's "downward within 1 s" (seed-abr.js: SeedLevelSelector.inflightLevel, the rate ceiling, recentRate and
// the hls.js controller's checkEmergency), and the simulator's time to switch. Run: cd perf/abr && node --test test/
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { simulate, seedController, bifrostLadder } = require('../sim');
const traces = require('../traces');
const abr = require(path.join(__dirname, '..', '..', '..', 'edge-node', 'src', 'main', 'resources', 'player', 'seed-abr.js'));

const MBPS = 1e6;
// Peak rates (BANDWIDTH) of Bifrost's 1080p ladder, as hls.levels carry them.
const LADDER = bifrostLadder().map(level => level.maxBitrate);
// 4 s of media at each level, in bytes, at its peak rate.
const bytesOf = level => LADDER[level] * 4 / 8;

/** A 4 s segment of the top level in flight at 2 Mbit/s, 2 MB still to come (8 s), chosen on a 10 Mbit/s estimate. */
function fallen(overrides)
{
    return Object.assign({ nowMs: 60000, levelBitrates: LADDER, loadingLevel: 4, bufferS: 15, estimateBps: 10 * MBPS,
        recentBps: 2 * MBPS, remainingBytes: 2e6, mediaS: 4, levelBytes: bytesOf }, overrides);
}

test('a download slowed below the level its estimate chose is abandoned for the level its rate supports', () =>
{
    const selector = new abr.SeedLevelSelector();
    const decision = selector.inflightLevel(fallen());
    // 2 Mbit/s / 1.2 supports the 1 Mbit/s level (peak 1.35 Mbit/s); buffer 15 s: no buffer adjustment.
    assert.deepEqual(decision, { level: 1, target: 1, reason: 'falling' });
});

test('a buffer over the high threshold keeps the one-up rule when abandoning', () =>
{
    const selector = new abr.SeedLevelSelector();
    assert.equal(selector.inflightLevel(fallen({ bufferS: 25 })).level, 2);
    assert.equal(new abr.SeedLevelSelector().inflightLevel(fallen({ bufferS: 6 })).level, 1, 'under healthy: as is');
});

test('a download is left alone while it is faster than real time, or its level is the one the rate supports', () =>
{
    const selector = new abr.SeedLevelSelector();
    // 12 Mbit/s is faster than the top level's 9.75 Mbit/s peak: the buffer grows while it loads.
    assert.equal(selector.inflightLevel(fallen({ recentBps: 12 * MBPS })), null, 'faster than real time');
    // The 2.5 Mbit/s level loaded on a 2 Mbit/s link because the buffer was high (one up): no fall, no abandon.
    assert.equal(selector.inflightLevel(fallen({ loadingLevel: 2, estimateBps: 2 * MBPS, remainingBytes: 1e6 })), null,
        'the rate supports what the estimate chose');
    assert.equal(selector.inflightLevel(fallen({ remainingBytes: 100e3 })), null, 'finishing is quicker than refetching');
    assert.equal(selector.inflightLevel(fallen({ loadingLevel: 0 })), null, 'already the lowest');
    assert.equal(selector.inflightLevel(fallen({ recentBps: null })), null, 'no rate measured yet');
    assert.equal(selector.inflightLevel(fallen({ recentBps: 0 })), null, 'no progress: left to the critical rule');
});

test('a download that would take the buffer below critical is abandoned for a level that can arrive in time', () =>
{
    const selector = new abr.SeedLevelSelector();
    // The rate (6 Mbit/s) supports the 2.5 Mbit/s level (peak 3.15 x 1.2 = 3.8), which is what the estimate chose, so
    // no fall; but 4 MB at 6 Mbit/s is 5.3 s against a 6 s buffer: starving. The 2.5 Mbit/s segment (1.6 MB) takes
    // 2.1 s and leaves 3.9 s, over 2 s.
    const decision = selector.inflightLevel(fallen({ loadingLevel: 3, estimateBps: 6 * MBPS, recentBps: 6 * MBPS,
        bufferS: 6, remainingBytes: 4e6 }));
    assert.equal(decision.reason, 'starving');
    assert.equal(decision.level, 2);
    // With 3 s of buffer (under low, 5 s) the buffer rule takes two levels off what the rate supports: the lowest.
    assert.equal(new abr.SeedLevelSelector().inflightLevel(fallen({ loadingLevel: 3, estimateBps: 6 * MBPS,
        recentBps: 6 * MBPS, bufferS: 3, remainingBytes: 4e6 })).level, 0);
});

test('after an abandonment the measured rate holds decisions down until the seed estimate comes down to it', () =>
{
    const selector = new abr.SeedLevelSelector();
    selector.inflightLevel(fallen());
    const decide = (nowMs, estimateBps) => selector.decide({ nowMs, levelBitrates: LADDER, currentLevel: 1, bufferS: 15,
        estimateBps });
    // The seed estimate is still 10 Mbit/s (three downloads in its window, smoothing 0.8): the ceiling holds level 1.
    assert.equal(decide(70000, 10 * MBPS).target, 1);
    assert.equal(selector.effectiveEstimate(10 * MBPS), 2 * MBPS);
    // A later download at 1.8 Mbit/s moves the ceiling to it.
    selector.noteDownload(1.8 * MBPS);
    assert.equal(selector.effectiveEstimate(9 * MBPS), 1.8 * MBPS);
    // The link recovers: a download at 10 Mbit/s lifts the ceiling; once the seed estimate is under it, it is gone.
    selector.noteDownload(10 * MBPS);
    assert.equal(selector.effectiveEstimate(5 * MBPS), 5 * MBPS);
    assert.equal(selector.ceiling, null);
    assert.equal(decide(90000, 5 * MBPS).target, 2, 'the seed rules again (5 Mbit/s / 1.2 supports 2.5 Mbit/s)');
});

test('an abandonment counts as a switch: going back up waits 5 s', () =>
{
    const selector = new abr.SeedLevelSelector();
    selector.inflightLevel(fallen());
    selector.noteDownload(10 * MBPS);
    const input = { levelBitrates: LADDER, currentLevel: 1, bufferS: 15, estimateBps: 10 * MBPS };
    assert.equal(selector.decide({ ...input, nowMs: 61000 }).reason, 'up-waiting');
    assert.equal(selector.decide({ ...input, nowMs: 66000 }).reason, 'up');
});

test('the recent rate is measured over at least 0.5 s of progress', () =>
{
    const samples = [{ t: 1000, loaded: 0 }];
    assert.equal(abr.recentRate(samples, 1300, 300e3), null, 'only 0.3 s since the first byte');
    assert.equal(abr.recentRate(samples, 1500, 500e3), 500e3 * 8 / 0.5, 'from the first byte');
    assert.equal(abr.recentRate(samples, 2000, 600e3), 100e3 * 8 / 0.5, 'from the sample at 1500 ms');
    assert.equal(abr.recentRate([], 2000, 0), null, 'no bytes yet');
});

test('the hls.js controller abandons a slowed fragment within a second and requests the level its rate supports', () =>
{
    let nowMs = 0;
    const listeners = {};
    const triggered = [];
    let aborted = 0;
    const Hls = { Events: { FRAG_LOADED: 'hlsFragLoaded', FRAG_LOADING: 'hlsFragLoading',
        MANIFEST_LOADING: 'hlsManifestLoading', FRAG_LOAD_EMERGENCY_ABORTED: 'hlsFragLoadEmergencyAborted',
        ERROR: 'hlsError' } };
    const hls = {
        levels: LADDER.map(bitrate => ({ bitrate })), minAutoLevel: 0, maxAutoLevel: LADDER.length - 1, nextLoadLevel: -1,
        media: { currentTime: 0, buffered: { length: 1, start: () => 0, end: () => 15 } },
        on: (event, fn) => { listeners[event] = fn; }, off: () => {}, trigger: event => triggered.push(event)
    };
    const decisions = [];
    const Controller = abr.createHlsAbrController(Hls, { now: () => nowMs, onDecision: d => decisions.push(d),
        timers: { setInterval: () => 1, clearInterval: () => {} } });
    const controller = new Controller(hls);
    // Three 10 Mbit/s downloads: the estimate is 10 Mbit/s.
    for (let i = 0; i < 3; i++)
    {
        nowMs += 1000;
        listeners.hlsFragLoaded('hlsFragLoaded', { frag: { type: 'main', sn: i, level: 4,
            stats: { loaded: 10 * MBPS / 8, loading: { start: nowMs - 1000, end: nowMs } } } });
    }
    // A top-level segment starts at 10 Mbit/s; 0.3 s after its first byte the link falls to 2 Mbit/s.
    const stats = { loaded: 0, total: bytesOf(4), aborted: false, loading: { start: nowMs, first: nowMs + 20 } };
    const frag = { type: 'main', sn: 3, level: 4, duration: 4, stats, abortRequests: () => { aborted++; } };
    listeners.hlsFragLoading('hlsFragLoading', { frag });
    const fallMs = nowMs + 320;
    let abandonedAtMs = null;
    for (let t = nowMs + 100; t <= nowMs + 3000 && abandonedAtMs === null; t += 100)
    {
        nowMs = t;
        const before = Math.min(t, fallMs) - stats.loading.first;
        stats.loaded = Math.round((before * 10 * MBPS + Math.max(t - fallMs, 0) * 2 * MBPS) / 8000);
        if (controller.checkEmergency())
        {
            abandonedAtMs = t;
        }
    }
    assert.ok(abandonedAtMs !== null, 'abandoned');
    assert.ok(abandonedAtMs - fallMs <= 1000, 'within 1 s of the fall: ' + (abandonedAtMs - fallMs) + ' ms');
    assert.equal(aborted, 1);
    assert.deepEqual(triggered, ['hlsFragLoadEmergencyAborted']);
    assert.ok(hls.nextLoadLevel < 4);
    assert.equal(controller.nextAutoLevel, hls.nextLoadLevel, 'the next request is at the new level');
    assert.match(decisions[decisions.length - 1].reason, /^(falling|starving)-abort$/);
});

for (const mode of [{ name: 'VOD', segmentS: 4, maxBufferS: 30, config: {} },
    { name: 'live-like', segmentS: 1, maxBufferS: 4, config: { bufferScale: 0.3 } }])
{
    test('in the simulator (' + mode.name + ') the seed ABR requests a lower level within 1 s of a 10 -> 2 Mbit/s fall',
        () =>
        {
            const ladder = bifrostLadder();
            const trace = traces.all(900000).find(t => t.name.startsWith('step'));
            const fallMs = trace.steps.find(step => step.bps < 10 * MBPS).atMs;
            const result = simulate({ trace, controller: seedController(ladder, mode.config, mode.segmentS), ladder,
                segmentS: mode.segmentS, mediaS: 120, maxBufferS: mode.maxBufferS });
            const before = result.requests.filter(r => r.atMs < fallMs);
            const inUse = before[before.length - 1].level;
            const lower = result.requests.find(r => r.atMs >= fallMs && r.level < inUse);
            assert.ok(lower, 'a lower level was requested');
            assert.ok(lower.atMs - fallMs <= 1000, 'after ' + (lower.atMs - fallMs) + ' ms');
            assert.equal(result.stalls, 0);
        });
}
