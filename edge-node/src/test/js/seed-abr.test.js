'use strict';
// Unit tests of the seed ABR core (edge-node/src/main/resources/player/seed-abr.js): one test per rule of the
// product brief's algorithm. Run: node --test edge-node/src/test/js/ (PlayerNodeTests runs them in ./mvnw verify).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const abr = require(path.join(__dirname, '..', '..', 'main', 'resources', 'player', 'seed-abr.js'));
const { SeedBandwidthEstimator, SeedLevelSelector, SEED_CONFIG, keepInliers, bufferedAhead } = abr;

const MBPS = 1e6;
/** bytes a download of durationMs takes at bps. */
const bytesAt = (bps, durationMs) => bps * durationMs / 8000;
// 240p..1080p of the seed's table, as HLS BANDWIDTH values.
const LADDER = [0.5 * MBPS, 1 * MBPS, 2.5 * MBPS, 5 * MBPS, 8 * MBPS];

test('seed numbers are the product brief\'s', () =>
{
    assert.equal(SEED_CONFIG.measurementWindowMs, 10000);
    assert.equal(SEED_CONFIG.minMeasurements, 3);
    assert.equal(SEED_CONFIG.smoothingFactor, 0.8);
    assert.equal(SEED_CONFIG.outlierThreshold, 2.0);
    assert.equal(SEED_CONFIG.bandwidthSafetyMargin, 1.2);
    assert.deepEqual([SEED_CONFIG.criticalBufferS, SEED_CONFIG.lowBufferS, SEED_CONFIG.healthyBufferS,
        SEED_CONFIG.highBufferS], [2, 5, 10, 20]);
    assert.equal(SEED_CONFIG.upwardSwitchDelayMs, 5000);
    assert.equal(SEED_CONFIG.downwardSwitchDelayMs, 1000);
});

test('no estimate until three downloads fall inside the last 10 s', () =>
{
    const estimator = new SeedBandwidthEstimator();
    assert.equal(estimator.addDownload(1000, bytesAt(4 * MBPS, 500), 500), null);
    assert.equal(estimator.addDownload(2000, bytesAt(4 * MBPS, 500), 500), null);
    assert.ok(Math.abs(estimator.addDownload(3000, bytesAt(4 * MBPS, 500), 500) - 4 * MBPS) < 1);
});

test('downloads older than the 10 s window do not count', () =>
{
    const estimator = new SeedBandwidthEstimator();
    estimator.addDownload(0, bytesAt(4 * MBPS, 500), 500);
    estimator.addDownload(1000, bytesAt(4 * MBPS, 500), 500);
    // 10.5 s later the first two are out of the window: only two recent downloads, so the estimate is unchanged.
    assert.equal(estimator.addDownload(10500, bytesAt(1 * MBPS, 500), 500), null);
    const fresh = new SeedBandwidthEstimator();
    fresh.addDownload(9000, bytesAt(1 * MBPS, 500), 500);
    fresh.addDownload(9500, bytesAt(1 * MBPS, 500), 500);
    assert.ok(Math.abs(fresh.addDownload(10000, bytesAt(1 * MBPS, 500), 500) - MBPS) < 1);
});

test('a throughput more than two standard deviations from the mean is removed', () =>
{
    const values = [4, 4, 4, 4, 4, 4, 4, 4, 4, 40].map(v => v * MBPS);
    const kept = keepInliers(values, 2.0);
    assert.deepEqual(kept, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const estimator = new SeedBandwidthEstimator();
    let estimate = null;
    for (let i = 0; i < values.length; i++)
    {
        estimate = estimator.addDownload(i * 500, bytesAt(values[i], 400), 400);
    }
    // The 40 Mbit/s spike is dropped from the last sample's average; the smoothed estimate stays at 4 Mbit/s.
    assert.ok(Math.abs(estimator.lastRaw - 4 * MBPS) < 1, 'raw ' + estimator.lastRaw);
    assert.ok(Math.abs(estimate - 4 * MBPS) < 1);
});

test('equal throughputs are all kept (zero spread)', () =>
{
    assert.deepEqual(keepInliers([3, 3, 3], 2.0), [0, 1, 2]);
});

test('newer downloads weigh more in the window average', () =>
{
    const estimator = new SeedBandwidthEstimator();
    estimator.addDownload(0, bytesAt(2 * MBPS, 500), 500);
    estimator.addDownload(100, bytesAt(2 * MBPS, 500), 500);
    estimator.addDownload(200, bytesAt(8 * MBPS, 500), 500);
    // weights 1, 2, 3: (2 + 4 + 24) / 6 = 5 Mbit/s (an unweighted mean would be 4).
    assert.ok(Math.abs(estimator.lastRaw - 5 * MBPS) < 1, 'raw ' + estimator.lastRaw);
});

test('each new estimate is 0.8 of the previous plus 0.2 of the window average', () =>
{
    const estimator = new SeedBandwidthEstimator();
    for (let i = 0; i < 3; i++)
    {
        estimator.addDownload(i * 100, bytesAt(5 * MBPS, 500), 500);
    }
    const previous = estimator.estimate();
    const next = estimator.addDownload(300, bytesAt(1 * MBPS, 500), 500);
    assert.ok(Math.abs(next - (0.8 * previous + 0.2 * estimator.lastRaw)) < 1e-6);
    assert.ok(next < previous && next > estimator.lastRaw);
});

test('the chosen level leaves a 1.2 safety margin on the estimate', () =>
{
    const selector = new SeedLevelSelector();
    // 5 Mbit/s level needs 6 Mbit/s.
    assert.equal(selector.bandwidthLevel(LADDER, 6 * MBPS), 3);
    assert.equal(selector.bandwidthLevel(LADDER, 5.99 * MBPS), 2);
    assert.equal(selector.bandwidthLevel(LADDER, 0.1 * MBPS), 0);
    assert.equal(selector.bandwidthLevel(LADDER, null), 0);
});

test('buffer thresholds: critical 2 s lowest, low 5 s two down, under healthy 10 s no upgrade, over high 20 s one up', () =>
{
    const selector = new SeedLevelSelector();
    const top = LADDER.length - 1;
    assert.equal(selector.bufferAdjusted(3, 1.9, 3, top), 0);
    assert.equal(selector.bufferAdjusted(3, 4.9, 3, top), 1);
    assert.equal(selector.bufferAdjusted(1, 4.9, 3, top), 0);
    assert.equal(selector.bufferAdjusted(3, 9.9, 1, top), 1, 'no upgrade below healthy');
    assert.equal(selector.bufferAdjusted(1, 9.9, 3, top), 1, 'downgrade allowed below healthy');
    assert.equal(selector.bufferAdjusted(3, 15, 1, top), 3);
    assert.equal(selector.bufferAdjusted(3, 20.1, 3, top), 4);
    assert.equal(selector.bufferAdjusted(4, 25, 4, top), 4, 'never past the top');
});

test('buffer thresholds scale with bufferScale (live)', () =>
{
    const selector = new SeedLevelSelector({ bufferScale: 0.3 });
    assert.equal(selector.bufferAdjusted(3, 0.5, 3, 4), 0, 'under 0.6 s is critical');
    assert.equal(selector.bufferAdjusted(3, 1.4, 3, 4), 1, 'under 1.5 s is low');
    assert.equal(selector.bufferAdjusted(3, 3.5, 3, 4), 3);
});

test('an upgrade happens only after 5 s of wanting it', () =>
{
    const selector = new SeedLevelSelector();
    const input = (nowMs) => ({ nowMs, levelBitrates: LADDER, currentLevel: 1, bufferS: 15, estimateBps: 10 * MBPS });
    assert.equal(selector.decide(input(10000)).level, 1);
    assert.equal(selector.decide(input(12000)).reason, 'up-waiting');
    assert.equal(selector.decide(input(14999)).level, 1);
    const up = selector.decide(input(15000));
    assert.equal(up.level, 4);
    assert.equal(up.reason, 'up');
});

test('a dip in the upgrade wish restarts the 5 s wait', () =>
{
    const selector = new SeedLevelSelector();
    const at = (nowMs, estimateBps) =>
        selector.decide({ nowMs, levelBitrates: LADDER, currentLevel: 1, bufferS: 15, estimateBps });
    at(10000, 10 * MBPS);
    at(13000, 1.3 * MBPS); // supports level 1 only: no upgrade wanted any more
    assert.equal(at(16000, 10 * MBPS).level, 1);
    assert.equal(at(20999, 10 * MBPS).level, 1);
    assert.equal(at(21000, 10 * MBPS).level, 4);
});

test('a downgrade happens within 1 s, even right after an upgrade', () =>
{
    const selector = new SeedLevelSelector();
    const at = (nowMs, currentLevel, estimateBps) =>
        selector.decide({ nowMs, levelBitrates: LADDER, currentLevel, bufferS: 15, estimateBps });
    at(0, 1, 10 * MBPS);
    assert.equal(at(5000, 1, 10 * MBPS).level, 4);
    // The bandwidth falls 0.5 s after the upgrade: the downgrade waits for the 1 s since the last switch, no longer.
    assert.equal(at(5500, 4, 2 * MBPS).reason, 'down-waiting');
    const down = at(6000, 4, 2 * MBPS);
    assert.equal(down.level, 1);
    assert.equal(down.reason, 'down');
    // Long after the last switch, a downgrade is immediate.
    assert.equal(at(20000, 1, 0.7 * MBPS).level, 0);
});

test('a critical buffer drops to the lowest level at once', () =>
{
    const selector = new SeedLevelSelector();
    selector.decide({ nowMs: 0, levelBitrates: LADDER, currentLevel: 1, bufferS: 15, estimateBps: 10 * MBPS });
    selector.decide({ nowMs: 5000, levelBitrates: LADDER, currentLevel: 1, bufferS: 15, estimateBps: 10 * MBPS });
    const decision = selector.decide({ nowMs: 5100, levelBitrates: LADDER, currentLevel: 4, bufferS: 1, estimateBps: 10 * MBPS });
    assert.equal(decision.level, 0);
    assert.equal(decision.reason, 'critical');
});

test('without an estimate the current level stays', () =>
{
    const selector = new SeedLevelSelector();
    assert.equal(selector.decide({ nowMs: 0, levelBitrates: LADDER, currentLevel: -1, bufferS: 0, estimateBps: null }).level, 0);
    assert.equal(selector.decide({ nowMs: 0, levelBitrates: LADDER, currentLevel: 2, bufferS: 8, estimateBps: null }).level, 2);
});

test('bad config is refused', () =>
{
    assert.throws(() => new SeedLevelSelector({ bandwidthSafetyMargin: -1 }), RangeError);
    assert.throws(() => new SeedBandwidthEstimator({ smoothingFactor: 1.5 }), RangeError);
    assert.throws(() => new SeedBandwidthEstimator({ measurementWindowMs: 'x' }), RangeError);
});

test('buffered ahead reads the range holding the playhead', () =>
{
    const ranges = (pairs) => ({ length: pairs.length, start: i => pairs[i][0], end: i => pairs[i][1] });
    assert.equal(bufferedAhead(ranges([[0, 4], [6, 20]]), 7), 13);
    assert.equal(bufferedAhead(ranges([[0, 4]]), 5), 0);
    assert.equal(bufferedAhead(null, 0), 0);
});

const HLS = { Events: { FRAG_LOADED: 'hlsFragLoaded', FRAG_LOADING: 'hlsFragLoading', MANIFEST_LOADING: 'hlsManifestLoading',
    FRAG_LOAD_EMERGENCY_ABORTED: 'hlsFragLoadEmergencyAborted', ERROR: 'hlsError' } };
const NO_TIMERS = { setInterval: () => 1, clearInterval: () => {} };

test('a critical buffer abandons a slow download for the lowest level when that is quicker', () =>
{
    const selector = new SeedLevelSelector();
    // 4 s of the 5 Mbit/s level (2.5 MB), 0.5 MB in after 2 s: 8 s left, the lowest level's 250 kB would take 1 s.
    const slow = { nowMs: 10000, bufferS: 1.5, loadingLevel: 3, loadedBytes: 500e3, expectedBytes: 2.5e6, elapsedMs: 2000,
        lowestBytes: 250e3 };
    assert.equal(selector.emergencyLevel({ ...slow, bufferS: 2.5 }), -1, 'buffer not critical');
    assert.equal(selector.emergencyLevel({ ...slow, loadingLevel: 0 }), -1, 'already lowest');
    assert.equal(selector.emergencyLevel({ ...slow, loadedBytes: 2.4e6 }), -1, 'nearly done: finishing is quicker');
    assert.equal(selector.emergencyLevel({ ...slow, loadedBytes: 0, elapsedMs: 900 }), -1, 'no byte yet, under 1 s');
    assert.equal(selector.emergencyLevel({ ...slow, loadedBytes: 0, elapsedMs: 1000 }), 0, 'no byte for 1 s');
    assert.equal(selector.emergencyLevel(slow), 0);
    // It counts as a switch: an upgrade must wait 5 s again.
    assert.equal(selector.decide({ nowMs: 14000, levelBitrates: LADDER, currentLevel: 0, bufferS: 15,
        estimateBps: 100 * MBPS }).reason, 'up-waiting');
});

test('the hls.js controller aborts a main fragment load on a critical buffer as hls.js does', () =>
{
    let nowMs = 5000;
    const listeners = {};
    const triggered = [];
    let aborted = 0;
    let bufferEnd = 1;
    const hls = {
        levels: LADDER.map(bitrate => ({ bitrate })), minAutoLevel: 0, maxAutoLevel: LADDER.length - 1, nextLoadLevel: -1,
        media: { currentTime: 0, buffered: { length: 1, start: () => 0, end: () => bufferEnd } },
        on: (event, fn) => { listeners[event] = fn; }, off: (event) => { delete listeners[event]; },
        trigger: (event, data) => triggered.push(event)
    };
    const Controller = abr.createHlsAbrController(HLS, { now: () => nowMs, timers: NO_TIMERS });
    const controller = new Controller(hls);
    const stats = { loaded: 200e3, total: 2.5e6, aborted: false, loading: { start: 3000 } };
    const frag = { type: 'main', sn: 7, level: 3, duration: 4, stats, abortRequests: () => { aborted++; } };
    listeners.hlsFragLoading('hlsFragLoading', { frag });
    bufferEnd = 3;
    assert.equal(controller.checkEmergency(), false, 'buffer not critical');
    bufferEnd = 1;
    assert.equal(controller.checkEmergency(), true);
    assert.equal(aborted, 1);
    assert.equal(hls.nextLoadLevel, 0);
    assert.deepEqual(triggered, ['hlsFragLoadEmergencyAborted']);
    assert.equal(controller.nextAutoLevel, 0);
    assert.equal(controller.checkEmergency(), false, 'nothing loading any more');
    listeners.hlsFragLoading('hlsFragLoading', { frag: { ...frag, type: 'audio' } });
    assert.equal(controller.checkEmergency(), false, 'alternate audio is not watched');
});

test('the hls.js controller feeds main fragments to the estimator and answers nextAutoLevel with the seed rules', () =>
{
    let nowMs = 0;
    const listeners = {};
    const media = { currentTime: 0, buffered: { length: 1, start: () => 0, end: () => 15 } };
    const hls = {
        levels: LADDER.map(bitrate => ({ bitrate })), media, minAutoLevel: 0, maxAutoLevel: LADDER.length - 1,
        on: (event, fn) => { listeners[event] = fn; }, off: (event) => { delete listeners[event]; }
    };
    const Controller = abr.createHlsAbrController(HLS, { now: () => nowMs, timers: NO_TIMERS });
    const controller = new Controller(hls);
    assert.equal(controller.firstAutoLevel, 0);
    assert.equal(controller.nextAutoLevel, 0);
    const loaded = (level, bps, type) =>
    {
        const stats = { loaded: bytesAt(bps, 1000), loading: { start: nowMs - 1000, end: nowMs } };
        listeners.hlsFragLoaded('hlsFragLoaded', { frag: { type: type || 'main', sn: 1, level, stats } });
    };
    for (let i = 0; i < 3; i++)
    {
        nowMs += 2000;
        loaded(0, 10 * MBPS);
    }
    loaded(0, 0.1 * MBPS, 'audio'); // ignored
    assert.ok(Math.abs(controller.bwEstimator.getEstimate() - 10 * MBPS) < 1);
    assert.equal(controller.nextAutoLevel, 0, 'the 5 s wait starts');
    nowMs += 5000;
    assert.equal(controller.nextAutoLevel, 4);
    controller.nextAutoLevel = 2; // hls.js forcing a level after an error
    assert.equal(controller.forcedAutoLevel, 2);
    assert.equal(controller.nextAutoLevel, 2);
    loaded(2, 10 * MBPS);
    assert.equal(controller.forcedAutoLevel, -1);
    controller.destroy();
    assert.deepEqual(Object.keys(listeners), []);
});
