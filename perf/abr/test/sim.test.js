'use strict';
// Checks of the ABR evaluation's parts: the hls.js model's estimator against hls.js's own arithmetic, and the
// simulator's bookkeeping. Run: cd perf/abr && node --test test/
const test = require('node:test');
const assert = require('node:assert/strict');
const { simulate, seedController, bifrostLadder } = require('../sim');
const { HlsDefaultAbrModel, EwmaBandWidthEstimator, CITED_DEFAULTS, hlsJsDefaults } = require('../hlsjs-default-abr');
const traces = require('../traces');

test('the hls.js model reads the defaults it cites', () =>
{
    const { config } = hlsJsDefaults();
    for (const key of Object.keys(CITED_DEFAULTS))
    {
        assert.equal(config[key], CITED_DEFAULTS[key], key);
    }
});

test('the EWMA estimator converges on a constant rate and takes the lower of fast and slow', () =>
{
    const estimator = new EwmaBandWidthEstimator(9, 3, 5e5);
    assert.equal(estimator.getEstimate(), 5e5, 'default before any sample');
    for (let i = 0; i < 10; i++)
    {
        estimator.sample(1000, 1e6 / 8 * 4); // 4 Mbit/s for 1 s
    }
    assert.ok(Math.abs(estimator.getEstimate() - 4e6) < 1);
    estimator.sample(1000, 1e6 / 8); // one 1 Mbit/s second: the fast average falls more
    assert.ok(estimator.getEstimate() < estimator.slow.getEstimate());
    assert.equal(estimator.getEstimate(), estimator.fast.getEstimate());
});

test('on a steady link neither controller stalls, and every segment is played once', () =>
{
    const ladder = bifrostLadder();
    for (const controller of [seedController(ladder), new HlsDefaultAbrModel(ladder, 4)])
    {
        const result = simulate({ trace: traces.steady(), controller, ladder, segmentS: 4, mediaS: 120 });
        assert.equal(result.stalls, 0, controller.name);
        assert.equal(result.played.length, 30, controller.name);
        assert.ok(Math.abs(result.playedS - 120) < 1e-6);
        assert.ok(result.startupMs > 0 && result.startupMs < 1000);
    }
});

test('a link slower than the lowest level stalls and the rebuffer ratio counts it', () =>
{
    const ladder = bifrostLadder();
    const trace = { name: 'slow', rttMs: 40, steps: [], bpsAt: () => 300e3 };
    const result = simulate({ trace, controller: seedController(ladder), ladder, segmentS: 4, mediaS: 40 });
    assert.ok(result.stalls > 0);
    assert.ok(result.rebufferRatio > 0.2 && result.rebufferRatio < 1);
    assert.ok(result.played.every(level => level === 0));
});
