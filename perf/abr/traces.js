'use strict';
// Generated bandwidth traces (deterministic). Each: name, rttMs, bpsAt(ms), steps (the changes the switch-time
// metric measures from: [{atMs, bps}]).

const { random } = require('./sim');

const MBPS = 1e6;

function piecewise(name, rttMs, segments)
{
    // segments: [[fromMs, bps], ...] ascending.
    return {
        name,
        rttMs,
        steps: segments.slice(1).map(([atMs, bps]) => ({ atMs, bps })),
        bpsAt(ms)
        {
            let bps = segments[0][1];
            for (const [fromMs, value] of segments)
            {
                if (ms >= fromMs)
                {
                    bps = value;
                }
            }
            return bps;
        }
    };
}

function steady()
{
    return piecewise('steady 10 Mbit/s', 40, [[0, 10 * MBPS]]);
}

function stepDown()
{
    return piecewise('step 10 -> 2 -> 10 Mbit/s (60 s, 180 s)', 40, [[0, 10 * MBPS], [60000, 2 * MBPS], [180000, 10 * MBPS]]);
}

/** A smaller fall: 10 -> 4 Mbit/s, where a 0.33 s part of the 5 Mbit/s rung still arrives in under 0.5 s. */
function stepDownSmall()
{
    return piecewise('step 10 -> 4 -> 10 Mbit/s (60 s, 180 s)', 40, [[0, 10 * MBPS], [60000, 4 * MBPS], [180000, 10 * MBPS]]);
}

function oscillating(durationMs)
{
    const segments = [];
    for (let t = 0; t < durationMs; t += 15000)
    {
        segments.push([t, (t / 15000) % 2 === 0 ? 8 * MBPS : 1.5 * MBPS]);
    }
    return piecewise('oscillating 8 / 1.5 Mbit/s every 15 s', 40, segments);
}

/**
 * 3G-like: a mean-reverting random walk around 1.4 Mbit/s per second (0.25..3 Mbit/s), with 3 s dips to
 * 0.15 Mbit/s (2% chance per second), 150 ms round trip. Seeded, so every run sees the same trace.
 */
function threeG(durationMs)
{
    const next = random(42);
    const perSecond = [];
    let bps = 1.4 * MBPS;
    let dip = 0;
    for (let s = 0; s * 1000 < durationMs; s++)
    {
        const gaussian = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
        bps = Math.exp(0.7 * Math.log(bps) + 0.3 * Math.log(1.4 * MBPS) + 0.25 * gaussian);
        bps = Math.min(3 * MBPS, Math.max(0.25 * MBPS, bps));
        if (dip === 0 && next() < 0.02)
        {
            dip = 3;
        }
        perSecond.push(dip > 0 ? 0.15 * MBPS : bps);
        dip = Math.max(0, dip - 1);
    }
    return {
        name: '3G-like ~1.4 Mbit/s, dips, 150 ms RTT',
        rttMs: 150,
        steps: [],
        bpsAt: ms => perSecond[Math.min(perSecond.length - 1, Math.floor(ms / 1000))]
    };
}

/** The evaluation's traces, each long enough for the session. */
function all(durationMs)
{
    return [steady(), stepDown(), stepDownSmall(), oscillating(durationMs), threeG(durationMs)];
}

module.exports = { all, steady, stepDown, stepDownSmall, oscillating, threeG, MBPS };
