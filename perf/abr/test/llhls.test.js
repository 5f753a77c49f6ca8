'use strict';
// The seed ABR's "downward within 1 s" on LL-HLS parts (seed-abr.js: SeedLevelSelector.partLevel, partTransferMs and
// the hls.js controller's onFragLoaded for parts), and the simulator's LL-HLS mode (0.33 s parts made in real time,
// held requests for the hinted part). Run: cd perf/abr && node --test test/
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { simulate, seedController, bifrostLadder, segmentSizes } = require('../sim');
const traces = require('../traces');
const abr = require(path.join(__dirname, '..', '..', '..', 'edge-node', 'src', 'main', 'resources', 'player', 'seed-abr.js'));

const MBPS = 1e6;
const PART_S = 1 / 3;
const LADDER = bifrostLadder().map(level => level.maxBitrate);
// Bifrost's edge: six 0.33 s parts per 2 s segment, the keyframe part three times the others; joined 3 s behind live.
const LL_HLS = { joinLatencyS: 3, partsPerSegment: 6, keyframeFactor: 3 };
// The page's live thresholds for a 3 s latency: 0.07 per second of latency (healthy at 70% of it).
const LIVE_CONFIG = { bufferScale: 0.07 * LL_HLS.joinLatencyS };

/** A 0.33 s part of level 3 (5 Mbit/s) that took 0.5 s to arrive at 3.4 Mbit/s, chosen on a 10 Mbit/s estimate. */
function slowPart(overrides)
{
    return Object.assign({ nowMs: 60000, levelBitrates: LADDER, loadedLevel: 3, bufferS: 2.5, estimateBps: 10 * MBPS,
        bytes: 3.4 * MBPS / 8 * 0.5, transferMs: 500, mediaS: PART_S }, overrides);
}

/** A step from 10 Mbit/s to bps at 60 s, 40 ms round trip. */
function fallTo(bps)
{
    return { name: '10 -> ' + bps / MBPS, rttMs: 40, steps: [{ atMs: 60000, bps }], bpsAt: ms => ms < 60000 ? 10 * MBPS : bps };
}

function playLive(trace, mediaS)
{
    const ladder = bifrostLadder();
    const controller = seedController(ladder, LIVE_CONFIG, PART_S, true);
    const result = simulate({ trace, controller, ladder, segmentS: PART_S, mediaS, maxBufferS: LL_HLS.joinLatencyS,
        live: LL_HLS });
    return { result, decisions: controller.decisions };
}

test('a completed part slower than real time whose rate supports a lower level sends the next request down', () =>
{
    const selector = new abr.SeedLevelSelector(LIVE_CONFIG);
    // 3.4 Mbit/s carries the 1 Mbit/s level, not the 2.5 Mbit/s one (peak 3.15 x 1.2 = 3.8 > 3.4).
    assert.deepEqual(selector.partLevel(slowPart()), { level: 1, target: 1, reason: 'part-falling' });
    assert.equal(selector.effectiveEstimate(10 * MBPS), 3.4 * MBPS, 'the part\'s rate caps the estimate');
    assert.equal(new abr.SeedLevelSelector(LIVE_CONFIG).partLevel(slowPart({ bytes: 4 * MBPS / 8 * 0.5 })).level, 2);
});

test('a part is left alone when it came faster than real time or at a rate that supports its level', () =>
{
    const selector = new abr.SeedLevelSelector(LIVE_CONFIG);
    assert.equal(selector.partLevel(slowPart({ transferMs: 300, bytes: 3.4 * MBPS / 8 * 0.3 })), null,
        'faster than real time: the buffer grows');
    // A keyframe part three times the others took 0.6 s, but at 10 Mbit/s: the link still carries level 3.
    assert.equal(selector.partLevel(slowPart({ transferMs: 600, bytes: 10 * MBPS / 8 * 0.6 })), null,
        'a big part on a good link');
    assert.equal(selector.partLevel(slowPart({ estimateBps: 4 * MBPS, bytes: 4 * MBPS / 8 * 0.5 })), null,
        'the rate supports what the estimate chose');
    assert.equal(selector.partLevel(slowPart({ loadedLevel: 0 })), null, 'already the lowest');
    assert.equal(selector.partLevel(slowPart({ transferMs: NaN })), null, 'no transfer time');
    assert.equal(selector.ceiling, null);
});

test('a part\'s transfer runs from its first byte: a held request\'s wait is not counted', () =>
{
    assert.equal(abr.partTransferMs({ start: 1000, first: 1280, end: 1300 }), 20);
    assert.equal(abr.partTransferMs({ start: 1000, first: 1300, end: 1300 }), 1, 'one chunk: 1 ms at least');
    assert.equal(abr.partTransferMs({ start: 1000, first: 0, end: 1300 }), null, 'no first byte recorded');
    assert.equal(abr.partTransferMs({ start: 1000, first: 900, end: 1300 }), null, 'first byte before the request');
});

/** The seed controller behind a stand-in hls.js object with a 2.5 s buffer. */
function controllerUnderTest()
{
    let nowMs = 0;
    const listeners = {};
    const decisions = [];
    const Hls = { Events: { FRAG_LOADED: 'hlsFragLoaded', FRAG_LOADING: 'hlsFragLoading',
        MANIFEST_LOADING: 'hlsManifestLoading', FRAG_LOAD_EMERGENCY_ABORTED: 'hlsFragLoadEmergencyAborted',
        ERROR: 'hlsError' } };
    const hls = {
        levels: LADDER.map(bitrate => ({ bitrate })), minAutoLevel: 0, maxAutoLevel: LADDER.length - 1, nextLoadLevel: -1,
        media: { currentTime: 0, buffered: { length: 1, start: () => 0, end: () => 2.5 } },
        on: (event, fn) => { listeners[event] = fn; }, off: () => {}, trigger: () => {}
    };
    const Controller = abr.createHlsAbrController(Hls, { now: () => nowMs, config: LIVE_CONFIG,
        onDecision: d => decisions.push(d), timers: { setInterval: () => 1, clearInterval: () => {} } });
    const controller = new Controller(hls);
    /** One held part of level at bps: requested at nowMs, made 280 ms later, then transferred. */
    const part = (level, bytes, bps) =>
    {
        const start = nowMs;
        const first = start + 280;
        const end = first + bytes * 8 / bps * 1000;
        nowMs = end;
        const stats = { loaded: bytes, loading: { start, first, end } };
        listeners.hlsFragLoaded('hlsFragLoaded', { frag: { type: 'main', sn: 1, level, duration: 2, stats },
            part: { duration: PART_S, stats } });
    };
    return { controller, decisions, part };
}

test('the hls.js controller estimates held parts by their transfer and steps down after one slow part', () =>
{
    const { controller, decisions, part } = controllerUnderTest();
    for (let i = 0; i < 4; i++)
    {
        part(3, 200e3, 10 * MBPS);
    }
    // Request to end would say 200 kB in 440 ms: 3.6 Mbit/s. The transfer says 10.
    assert.ok(Math.abs(controller.bwEstimator.getEstimate() - 10 * MBPS) < 1e3, String(controller.bwEstimator.getEstimate()));
    assert.equal(controller.forcedAutoLevel, -1);
    // The link falls to 2 Mbit/s: the next part takes 0.8 s to arrive.
    part(3, 200e3, 2 * MBPS);
    assert.equal(controller.nextAutoLevel, 1, '2 Mbit/s / 1.2 carries the 1 Mbit/s level (peak 1.35 Mbit/s)');
    assert.equal(decisions[decisions.length - 1].reason, 'part-falling');
    // Once a part of the forced level has loaded, the seed rules decide again, held down by the ceiling.
    part(1, 55e3, 2 * MBPS);
    assert.equal(controller.forcedAutoLevel, -1);
    assert.ok(controller.nextAutoLevel <= 1, 'stays down while the estimate is capped');
});

test('the simulator holds a request for a part not made yet until it is made', () =>
{
    const { result } = playLive(traces.steady(), 20);
    const held = result.requests.filter(r => r.held);
    assert.ok(held.length > result.requests.length / 2, 'at the live edge most requests wait: ' + held.length);
    // Parts already made at the join (3 s of them) are fetched back to back, then one per part duration.
    assert.equal(result.requests.filter(r => r.atMs < 1000).length > 9, true);
    assert.equal(result.stalls, 0);
});

test('the keyframe part is keyframeFactor times the others and a segment keeps its average size', () =>
{
    const ladder = bifrostLadder();
    const sizes = segmentSizes(ladder, PART_S, 60, 7, LL_HLS)[0];
    const flat = segmentSizes(ladder, PART_S, 60, 7)[0];
    assert.ok(Math.abs(sizes[0] / sizes[1] - 3 * flat[0] / flat[1]) < 0.01);
    const sum = values => values.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum(sizes) / sum(flat) - 1) < 0.15, 'same bytes overall within the VBR noise');
});

for (const bps of [2 * MBPS, 4 * MBPS])
{
    test('on LL-HLS the seed ABR requests a lower level within 1 s of a 10 -> ' + bps / MBPS + ' Mbit/s fall', () =>
    {
        const { result, decisions } = playLive(fallTo(bps), 120);
        const before = result.requests.filter(r => r.atMs < 60000);
        const inUse = before[before.length - 1].level;
        assert.ok(inUse > 0, 'climbed before the fall');
        const lower = result.requests.find(r => r.atMs >= 60000 && r.level < inUse);
        assert.ok(lower, 'a lower level was requested');
        assert.ok(lower.atMs - 60000 <= 1000, 'after ' + (lower.atMs - 60000) + ' ms');
        assert.equal(result.stalls, 0);
        const first = decisions.find(d => d.atMs >= 60000 && d.level < inUse);
        assert.match(first.reason, /^(part-falling|falling-abort|starving-abort)$/);
        if (bps === 4 * MBPS)
        {
            // A 214 kB part at 4 Mbit/s arrives in 0.43 s: too short for the in-flight rule's 0.5 s of rate.
            assert.equal(first.reason, 'part-falling');
        }
    });
}

test('on a steady LL-HLS link big keyframe parts cause no down-switch and the seed ABR climbs', () =>
{
    const { result, decisions } = playLive(traces.steady(), 120);
    assert.equal(result.stalls, 0);
    assert.deepEqual(decisions.filter(d => /falling|starving|critical|down/.test(d.reason)), []);
    // 10 Mbit/s / 1.2 carries the 5 Mbit/s level (peak 6.15 Mbit/s).
    assert.equal(result.played[result.played.length - 1], 3);
});

test('the live page can rescale the buffer thresholds once its latency target is known', () =>
{
    const { controller } = controllerUnderTest();
    controller.setBufferScale(0.07);
    assert.equal(controller.selector.config.bufferScale, 0.07);
    assert.equal(controller.selector.config.criticalBufferS, 2, 'the seed numbers stay, only the scale moves');
    assert.throws(() => controller.setBufferScale(0), RangeError);
    assert.throws(() => controller.setBufferScale(NaN), RangeError);
});
