#!/usr/bin/env node
'use strict';
/*
 * ABR evaluation (issue #10): the seed ABR (edge-node/src/main/resources/player/seed-abr.js, the file the edge serves)
 * against a model of hls.js's default ABR (hlsjs-default-abr.js) on generated traces, in the simulator of sim.js.
 * Deterministic and CPU-only (a few seconds). Modes: VOD, live-like and LL-HLS (see modes below). Usage:
 *   cd perf/abr && npm install && node evaluate.js [--media-seconds 300] [--segment-seconds 4] [--json out.json]
 * Without npm install the hls.js model uses the defaults cited in hlsjs-default-abr.js.
 */

const { simulate, seedController, bifrostLadder } = require('./sim');
const { HlsDefaultAbrModel, hlsJsDefaults } = require('./hlsjs-default-abr');
const traces = require('./traces');

function option(name, fallback)
{
    const i = process.argv.indexOf('--' + name);
    return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const mediaS = Number(option('media-seconds', 300));
const segmentS = Number(option('segment-seconds', 4));
const jsonOut = option('json', null);
const ladder = bifrostLadder();
const hlsDefaults = hlsJsDefaults();

/**
 * For every bandwidth change: seconds to the first request that adapts to it, before the next change. After a fall
 * below the average bitrate in use: the time to switch, the first request at a lower level than the one in use (an
 * abandoned download's re-request counts), and the time to fit, the first request at a level whose average bitrate
 * fits the new bandwidth. After a rise: any level above the one in use. A change no request adapted to within its
 * phase counts as missed.
 */
function switchTimes(trace, result, endMs)
{
    const down = { times: [], missed: 0 };
    const fit = { times: [], missed: 0 };
    const up = { times: [], missed: 0 };
    let previousBps = trace.bpsAt(0);
    trace.steps.forEach((step, i) =>
    {
        const phaseEndMs = i + 1 < trace.steps.length ? trace.steps[i + 1].atMs : endMs;
        const before = result.requests.filter(r => r.atMs < step.atMs);
        const after = result.requests.filter(r => r.atMs >= step.atMs && r.atMs < phaseEndMs);
        const falling = step.bps < previousBps;
        previousBps = step.bps;
        if (before.length === 0 || step.atMs >= endMs)
        {
            return;
        }
        const levelBefore = before[before.length - 1].level;
        if (falling && ladder[levelBefore].averageBitrate <= step.bps)
        {
            return;
        }
        const record = (bucket, adapted) =>
        {
            if (adapted)
            {
                bucket.times.push((adapted.atMs - step.atMs) / 1000);
            }
            else
            {
                bucket.missed++;
            }
        };
        if (falling)
        {
            record(down, after.find(r => r.level < levelBefore));
            record(fit, after.find(r => ladder[r.level].averageBitrate <= step.bps));
        }
        else
        {
            record(up, after.find(r => r.level > levelBefore));
        }
    });
    return { down, fit, up };
}

/** "mean s" over the changes adapted to, with "(k missed)" when some never were; "-" when none applied. */
function describe(bucket)
{
    if (bucket.times.length === 0 && bucket.missed === 0)
    {
        return '-';
    }
    const mean = bucket.times.length === 0 ? null : bucket.times.reduce((a, b) => a + b, 0) / bucket.times.length;
    return (mean === null ? 'never' : mean.toFixed(1)) +
        (bucket.missed > 0 ? ' (' + bucket.missed + ' of ' + (bucket.missed + bucket.times.length) + ' missed)' : '');
}

/**
 * Three delivery modes: VOD (4 s segments, buffer up to hls.js's maxBufferLength 30 s); live-like (1 s parts, the
 * buffer capped at a 4 s latency target; the seed's thresholds scaled by 0.3 as the player page does for live); and
 * LL-HLS as Bifrost's edge serves it: 0.33 s parts made in real time (six per 2 s segment, the keyframe part three
 * times the others' size), the player joining 3 s behind the live edge, and the request for the next part held by
 * the server until the part exists (the preload hint), so only parts already made or the next one can be fetched.
 */
const LL_HLS = { joinLatencyS: 3, partsPerSegment: 6, keyframeFactor: 3 };
const modes = [
    { name: 'VOD', segmentS: segmentS, maxBufferS: 30, seedConfig: {} },
    { name: 'live-like', segmentS: 1, maxBufferS: 4, seedConfig: { bufferScale: 0.3 } },
    { name: 'LL-HLS', segmentS: 2 / LL_HLS.partsPerSegment, maxBufferS: LL_HLS.joinLatencyS,
        seedConfig: { bufferScale: 0.07 * LL_HLS.joinLatencyS },
        live: LL_HLS }
];

const rows = [];
for (const mode of modes)
{
    const controllers = [
        { name: 'seed', make: () => seedController(ladder, mode.seedConfig, mode.segmentS, !!mode.live) },
        { name: 'hls.js default', make: () => new HlsDefaultAbrModel(ladder, mode.segmentS, hlsDefaults.config) }
    ];
    for (const trace of traces.all(mediaS * 1000 * 3))
    {
        for (const controller of controllers)
        {
            const result = simulate({ trace, controller: controller.make(), ladder, segmentS: mode.segmentS, mediaS,
                maxBufferS: mode.maxBufferS, live: mode.live });
            const switching = switchTimes(trace, result, result.endMs);
            rows.push({
                mode: mode.name,
                trace: trace.name,
                controller: controller.name,
                startupS: result.startupMs / 1000,
                rebufferRatio: result.rebufferRatio,
                stalls: result.stalls,
                meanBitrateMbps: result.meanBitrate / 1e6,
                switches: result.switches,
                abandoned: result.requests.filter(r => r.abandoned).length,
                switchDown: describe(switching.down),
                fitDown: describe(switching.fit),
                switchUp: describe(switching.up),
                switching: switching
            });
        }
    }
}

const fmt = (value, digits) => value === null || value === undefined ? '-' : value.toFixed(digits);
console.log('ABR evaluation: ' + mediaS + ' s of media; ladder (average Mbit/s) ' +
    ladder.map(l => (l.averageBitrate / 1e6).toFixed(2)).join(' / ') + '; VOD: ' + segmentS +
    ' s segments, buffer up to 30 s; live-like: 1 s parts, buffer up to 4 s; LL-HLS: 0.33 s parts made in real time, ' +
    'held requests for the next part, joined 3 s behind live; hls.js model: ' + hlsDefaults.source + '\n');
console.log('| mode | trace | ABR | startup s | rebuffer ratio | stalls | mean bitrate Mbit/s | switches | abandoned loads | ' +
    'down-switch after a fall, s | fitting level after a fall, s | up-switch after a rise, s |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows)
{
    console.log('| ' + [row.mode, row.trace, row.controller, fmt(row.startupS, 2),
        (row.rebufferRatio * 100).toFixed(2) + ' %', row.stalls, fmt(row.meanBitrateMbps, 2), row.switches, row.abandoned,
        row.switchDown, row.fitDown, row.switchUp].join(' | ') + ' |');
}
if (jsonOut)
{
    require('node:fs').writeFileSync(jsonOut, JSON.stringify({ mediaS, modes, ladder, hlsJs: hlsDefaults, rows }, null, 2));
}
