#!/usr/bin/env node
// Plays one stream in one real player inside Debian's headless Chromium and reports what happened, as JSON.
//
//   node play.mjs <config.json> <result.json>
//
// config: {
//   url:               the master playlist or MPD (from a Bifrost edge); for "bifrost" the edge's reference player
//                      page (/player/{id} for VOD, /player/live/{id} for live)
//   player:            "hls.js" | "dash.js" | "shaka" | "bifrost" (the edge's own page: hls.js with the seed ABR,
//                      opened as a viewer would, as served, nothing injected before it runs)
//   codecs:            codec strings to check with MediaSource.isTypeSupported before playing (from the master)
//   mseOnly:           only answer the codec check, play nothing
//   minSeconds:        playback must reach this currentTime (live: play this far since joining, jumps excluded) or end
//                      before the run counts as done, and, after a throttle, one more second past the moment the
//                      lower rung was seen
//   startTop:          start on the top rung (players' bandwidth estimate set high)
//   bufferSeconds:     forward buffer goal (small, so a throttle still finds segments left to fetch)
//   subtitles:         select the first subtitle track and wait for its cues
//   throttle:          optional {afterSeconds, kbps, latencyMs}: once the top rung has played, the player is above
//                      the lowest rung and currentTime passed afterSeconds, Chromium's network is throttled through
//                      CDP until the player is on a lower rung than when throttled, then released again.
//                      "bifrost": the page buffers ahead (30 s by default), so a lower rung would play a buffer
//                      later; the throttle starts once the seed ABR loads the top rung (hls.loadLevel) and ends at
//                      its first request for a lower rung. On the page's clock (resource timing, decision times):
//                      result.throttle.switchMs is throttle -> that request's start, decisionMs throttle -> the seed
//                      ABR's first "down" decision, reactionMs the first segment request sent under the throttle ->
//                      the lower one (a fall while nothing loads is seen at the next request); playedSwitchMs is
//                      throttle -> the lower rung playing, if the throttled rung played and then a lower one before
//                      the run ended; driverSwitchMs the same switch on the driver's clock (lags on a loaded box)
//   live:              live stream: report latency samples (hls.latency where the player has one), and in
//                      result.live the seconds played since the join (advancedSeconds: the forward steps between
//                      samples), leaving out jumps (a step over 1 s longer than the wall time between the samples:
//                      a seek to the live edge or over a buffer gap), which are counted (jumps, jumpSeconds)
//   timeoutMs:         the whole run's deadline
//   screenshot:        PNG path written at the end
//   chromium:          the browser binary (default /usr/bin/chromium); never a downloaded browser
//   drm:               optional ClearKey for dash.js and Shaka (EME, org.w3.clearkey): {licenseUrl} (a W3C ClearKey
//                      licence server), or {clearKeysBase64Url: {kid: key}} (dash.js) / {clearKeysHex: {kid: key}}
//                      (Shaka); hls.js AES-128 needs none (it fetches the EXT-X-KEY URI itself)
// }
//
// Startup ("startupMs") is from asking the player to play to the first 'playing' event; for "bifrost" from the page
// script's start (player.js, after hls.js and seed-abr.js loaded) to it, and result.pageStartupMs from navigation.
// "bifrost" also gives result.startup: {timeline, navigation, requests}, the page's startup milestones (hls.js events,
// each fragment/part loaded and appended, the video's events) and the requests made before the first frame, all on
// the page's clock (ms since navigation).
//
// The result always comes back (exit 0) unless the harness itself breaks; the caller asserts on it. The player
// libraries are served from node_modules by a static server on 127.0.0.1, a different origin than the edge, so the
// edge's CORS answers are exercised the way a real site would.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MEDIA_ARGS, openPage } from './chromium.mjs';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const LIBRARIES = {
    'hls.js': join(here, 'node_modules/hls.js/dist/hls.min.js'),
    'dash.js': join(here, 'node_modules/dashjs/dist/modern/umd/dash.all.min.js'),
    'shaka': join(here, 'node_modules/shaka-player/dist/shaka-player.compiled.js'),
};
const [configPath, resultPath] = process.argv.slice(2);
if (!configPath || !resultPath)
{
    console.error('usage: node play.mjs <config.json> <result.json>');
    process.exit(2);
}
const config = Object.assign({
    codecs: [], mseOnly: false, minSeconds: 4, startTop: true, bufferSeconds: 4, subtitles: false, throttle: null,
    live: false,
    timeoutMs: 45000, screenshot: null, chromium: '/usr/bin/chromium',
}, JSON.parse(readFileSync(configPath, 'utf8')));

const result = {
    player: config.player, url: config.url, ok: false, failure: null, chromiumVersion: null, playerVersion: null,
    mse: {}, startupMs: null, firstCurrentTime: null, samples: [], switches: [], renditionsLoaded: [], requests: [],
    requestsFailed: [], throttle: null,
    // Live only: playback since the join, summed over forward steps with jumps left out; the jumps apart.
    live: { joinedAtMs: null, advancedSeconds: 0, jumps: 0, jumpSeconds: 0 },
    errors: [], pageErrors: [], events: [], levels: [], textTracks: [], final: null, screenshot: null, wallMs: 0,
    // "bifrost" only: every media request as sent (aborted ones too), the seed ABR's decisions, the page's QoE totals.
    mediaRequests: [], abrDecisions: [], qoe: null, pageStartupMs: null, startup: null,
    // The page's console messages, "ms-since-start text" (hls.js's log with the reference page's #debug=1).
    console: [],
    // The URLs of the dedicated workers the page started (blob: for hls.js's inline transmuxer worker).
    workers: [],
    // The driver's wall clock (ms since the epoch) at atMs 0, so a sample's atMs reads as a wall-clock time.
    epochMs: null,
};
const began = Date.now();
result.epochMs = began;

function serve()
{
    return new Promise((resolve) =>
    {
        const server = createServer((request, response) =>
        {
            const path = new URL(request.url, 'http://localhost').pathname;
            if (path === '/player.html')
            {
                response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
                response.end('<!doctype html><html><head><meta charset="utf-8"><title>Bifrost ' + config.player +
                    '</title><style>body{margin:0;background:#000}video{width:1280px;height:720px}</style></head>' +
                    '<body><video id="video" playsinline muted></video><script src="/lib/player.js"></script>' +
                    '<script src="/harness.js"></script></body></html>');
                return;
            }
            const file = path === '/lib/player.js' ? LIBRARIES[config.player] :
                path === '/harness.js' ? join(here, 'harness.js') : null;
            if (path === '/favicon.ico')
            {
                response.writeHead(204).end();
                return;
            }
            if (!file)
            {
                response.writeHead(404).end();
                return;
            }
            response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
            response.end(readFileSync(file));
        });
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

/** The rendition folder of a media request, e.g. "720p" for .../vod/{id}/720p/3.m4s, or null for anything else. */
function renditionOf(url)
{
    const match = /\/([^/]+)\/(?:[^/]*\.(?:m4s|mp4|ts|m4v|m4a|vtt))(?:\?.*)?$/.exec(new URL(url).pathname);
    return match ? match[1] : null;
}

/** Page side ("bifrost"): which codec strings this browser's MSE accepts (as harness.js's mseSupport). */
function mseSupportInPage(codecs)
{
    const answer = {};
    for (const codec of codecs)
    {
        const type = (codec.startsWith('mp4a') || codec.startsWith('opus') || codec.startsWith('ac-3') ?
            'audio/mp4' : 'video/mp4') + '; codecs="' + codec + '"';
        answer[codec] = typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(type);
    }
    return answer;
}

/**
 * Page side ("bifrost"): listen to the reference page's own hls.js (window.bifrostPlayer.hls) for errors, switches and
 * aborted loads, into window.__bifrostProbe. Installed once the page script ran; errors before that are still seen
 * through the page's own count (qoe.fatalErrors).
 */
function probeReferencePlayer()
{
    const player = window.bifrostPlayer;
    const probe = { errors: [], events: [] };
    window.__bifrostProbe = probe;
    // Resource timing gives each request's start on the page's own clock (the driver's clock lags on a loaded
    // machine); keep every entry of the run.
    performance.setResourceTimingBufferSize(5000);
    const at = () => Math.round(performance.now());
    if (!player || !player.hls)
    {
        probe.errors.push({ at: at(), fatal: true, text: 'the page has no window.bifrostPlayer.hls (no MSE?)' });
        return false;
    }
    const hls = player.hls;
    const Events = window.Hls.Events;
    hls.on(Events.ERROR, (name, data) =>
    {
        if (probe.errors.length < 100)
        {
            probe.errors.push({ at: at(), fatal: !!data.fatal, text: (data.type + '/' + data.details +
                (data.reason ? ': ' + data.reason : '')).slice(0, 500) });
        }
    });
    hls.on(Events.LEVEL_SWITCHED, (name, data) => probe.events.length < 400 && probe.events.push({ at: at(),
        name: 'levelSwitched', detail: { level: data.level, height: hls.levels[data.level].height } }));
    hls.on(Events.FRAG_LOAD_EMERGENCY_ABORTED, () => probe.events.length < 400 &&
        probe.events.push({ at: at(), name: 'emergencyAbort' }));
    return true;
}

/** Page side ("bifrost"): the reference page's state in the shape of harness.js's snapshot(), plus its own. */
function snapshotReferencePlayer()
{
    const player = window.bifrostPlayer;
    const probe = window.__bifrostProbe || { errors: [], events: [] };
    const video = document.getElementById('video');
    const hls = player ? player.hls : null;
    const buffered = [];
    for (let i = 0; i < video.buffered.length; i++)
    {
        buffered.push([video.buffered.start(i), video.buffered.end(i)]);
    }
    const folder = (url) =>
    {
        const parts = new URL(url, location.href).pathname.split('/');
        return parts.length > 1 ? parts[parts.length - 2] : null;
    };
    const levels = hls && hls.levels ? hls.levels.map((l, i) => ({ index: i, height: l.height || 0,
        bitrate: Math.round(l.bitrate || 0), rendition: folder(l.uri || (Array.isArray(l.url) ? l.url[0] : l.url)) })) :
        [];
    const level = (index) => index >= 0 && levels[index] ? levels[index] : null;
    const errors = probe.errors.slice();
    const fatalSeen = errors.filter((e) => e.fatal).length;
    if (player && player.qoe.fatalErrors > fatalSeen)
    {
        errors.push({ at: 0, fatal: true, text: 'the page counted ' + player.qoe.fatalErrors + ' fatal hls.js errors' });
    }
    const textTracks = [];
    for (const track of video.textTracks)
    {
        textTracks.push({ kind: track.kind, label: track.label, language: track.language, mode: track.mode,
            cues: track.cues ? track.cues.length : 0, firstCues: [] });
    }
    const quality = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
    return {
        at: Math.round(performance.now()),
        player: 'bifrost',
        version: player ? player.hlsJsVersion : null,
        currentTime: video.currentTime,
        paused: video.paused,
        ended: video.ended,
        readyState: video.readyState,
        videoWidth: video.videoWidth,
        videoHeight: video.videoHeight,
        buffered: buffered,
        level: hls ? level(hls.currentLevel) : null,
        loadLevel: hls ? level(hls.loadLevel) : null,
        levels: levels,
        latency: hls && player.live ? { latency: hls.latency, target: hls.targetLatency, drift: hls.drift,
            edgeStall: null } : null,
        bandwidthEstimate: hls ? Math.round(hls.bandwidthEstimate) : null,
        firstPlayingMs: player ? player.qoe.startupMs : null,
        pageStartupMs: player && player.qoe.startupMs !== null && typeof player.scriptStartMs === 'number' ?
            Math.round(player.scriptStartMs + player.qoe.startupMs) : null,
        totalFrames: quality ? quality.totalVideoFrames : null,
        droppedFrames: quality ? quality.droppedVideoFrames : null,
        textTracks: textTracks,
        errors: errors,
        events: probe.events,
        decisions: player ? player.decisions.slice() : [],
        qoe: player ? Object.assign({}, player.qoe) : null,
    };
}

function topHeight(snapshot)
{
    return Math.max(0, ...snapshot.levels.map((level) => level.height));
}

function lowestHeight(snapshot)
{
    return Math.min(...snapshot.levels.map((level) => level.height));
}

/**
 * Page side ("bifrost"): on the page's clock, the start of the first segment request at or after fromPageMs, of the
 * first one for a rendition in lower, and the first seed ABR decision down (reasons below) at or after fromPageMs.
 * Resource timing holds completed requests only (an aborted load has none; its replacement does).
 */
function pageTimesAfter({ fromPageMs, lower })
{
    const isSegment = (url) => /\.(m4s|ts)(\?|$)/.test(url);
    const folder = (url) =>
    {
        const parts = new URL(url).pathname.split('/');
        return parts[parts.length - 2];
    };
    const entries = performance.getEntriesByType('resource').filter((e) => isSegment(e.name) &&
        e.startTime >= fromPageMs).sort((a, b) => a.startTime - b.startTime);
    const firstLower = entries.find((e) => lower.includes(folder(e.name)));
    const player = window.bifrostPlayer;
    const down = ['down', 'critical', 'falling-abort', 'starving-abort', 'critical-abort', 'part-falling'];
    const decision = player.decisions.find((d) => down.includes(d.reason) &&
        player.scriptStartMs + d.atMs >= fromPageMs);
    return {
        // The first segment requests under the throttle, ms since it began: [name, start, end].
        requests: entries.slice(0, 16).map((e) => [folder(e.name) + '/' + e.name.split('/').pop().split('?')[0],
            Math.round(e.startTime - fromPageMs), Math.round(e.responseEnd - fromPageMs)]),
        firstRequestMs: entries.length ? entries[0].startTime : null,
        firstLowerRequestMs: firstLower ? firstLower.startTime : null,
        firstLowerRequest: firstLower ? folder(firstLower.name) + '/' + firstLower.name.split('/').pop() : null,
        decisionMs: decision ? player.scriptStartMs + decision.atMs : null,
        decision: decision ? decision.reason + ' -> ' + decision.level : null,
    };
}

/**
 * Page side ("bifrost"): the startup on the page's clock (ms since navigation): the page's own milestones
 * (bifrostPlayer.timeline: hls.js events, the video's events up to the first 'playing'), the navigation's timing and
 * every request started before the first frame played, as [path, start, first byte, end] (resource timing).
 */
function startupTimeline()
{
    const player = window.bifrostPlayer;
    const timeline = player && player.timeline ? player.timeline.slice() : [];
    const playing = timeline.find((entry) => entry.name === 'playing');
    const until = playing ? playing.atMs : performance.now();
    const navigation = performance.getEntriesByType('navigation')[0];
    const path = (url) => new URL(url).pathname.split('/').slice(-2).join('/');
    return {
        timeline,
        navigation: navigation ? { responseStart: Math.round(navigation.responseStart),
            responseEnd: Math.round(navigation.responseEnd),
            domContentLoaded: Math.round(navigation.domContentLoadedEventEnd),
            load: Math.round(navigation.loadEventEnd) } : null,
        requests: performance.getEntriesByType('resource').filter((e) => e.startTime <= until).slice(0, 60)
            .map((e) => [path(e.name), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd)]),
    };
}

/** "bifrost": the first segment request under the throttle for a rung below the one throttled, with its height. */
function firstLowerRequest(snapshot)
{
    const heights = new Map(snapshot.levels.map((level) => [level.rendition, level.height]));
    const lower = result.mediaRequests.find((request) => request.atMs >= result.throttle.startedAtMs &&
        heights.has(request.rendition) && heights.get(request.rendition) < result.throttle.fromHeight);
    return lower ? Object.assign({ height: heights.get(lower.rendition) }, lower) : null;
}

async function main()
{
    const reference = config.player === 'bifrost';
    const server = await serve();
    let browser = null;
    try
    {
        browser = await openPage({ executablePath: config.chromium, args: MEDIA_ARGS,
            viewport: { width: 1280, height: 720 } }, result.pageErrors);
        const { context, page } = browser;
        result.chromiumVersion = browser.version;
        // Dedicated workers the page starts (hls.js's transmuxer, where the page enables it).
        page.on('worker', (worker) => result.workers.length < 20 && result.workers.push(worker.url().slice(0, 200)));
        // The page's console, e.g. hls.js's own log when the reference page is opened with #debug=1.
        page.on('console', (message) => result.console.length < 3000 &&
            result.console.push((Date.now() - began) + ' ' + message.text().slice(0, 300)));
        const loadedAt = new Map();
        page.on('requestfinished', async (request) =>
        {
            const rendition = renditionOf(request.url());
            if (rendition === null)
            {
                return;
            }
            const response = await request.response().catch(() => null);
            const status = response ? response.status() : 0;
            if (result.requests.length < 300)
            {
                const timing = request.timing();
                result.requests.push({ path: new URL(request.url()).pathname.split('/').slice(-2).join('/'),
                    startMs: Math.round(timing.startTime - began), ms: Math.round(timing.responseEnd), status });
            }
            if (!loadedAt.has(rendition))
            {
                loadedAt.set(rendition, Date.now() - began);
                result.renditionsLoaded.push({ rendition, firstAtMs: Date.now() - began, status });
            }
            if (status >= 400)
            {
                result.requestsFailed.push({ url: request.url(), status });
            }
        });
        if (reference)
        {
            // Any answer >= 400 from the edge (page, scripts, beacons): the media ones are noted below as well.
            page.on('response', (response) =>
            {
                if (response.status() >= 400 && renditionOf(response.url()) === null && result.requestsFailed.length < 50)
                {
                    result.requestsFailed.push({ url: response.url(), status: response.status() });
                }
            });
            // Every segment request as it is sent, aborted ones too: when the seed ABR asked for which rung.
            page.on('request', (request) =>
            {
                const rendition = renditionOf(request.url());
                if (rendition !== null && /\.(m4s|ts)(\?|$)/.test(request.url()) && result.mediaRequests.length < 1000)
                {
                    result.mediaRequests.push({ atMs: Date.now() - began, rendition,
                        path: new URL(request.url()).pathname.split('/').slice(-2).join('/') });
                }
            });
        }
        page.on('requestfailed', (request) =>
        {
            if (result.requestsFailed.length < 50)
            {
                result.requestsFailed.push({ url: request.url(), status: 0,
                    error: request.failure() ? request.failure().errorText : '' });
            }
        });

        result.events.push({ atMs: Date.now() - began, name: 'browserStarted' });
        const port = server.address().port;
        // "bifrost": the edge's page itself, which starts playing as it loads (a viewer's first visit).
        await page.goto(reference ? config.url : 'http://127.0.0.1:' + port + '/player.html', { waitUntil: 'load' });
        if (!result.chromiumVersion)
        {
            result.chromiumVersion = await page.evaluate(() => navigator.userAgent);
        }
        result.mse = reference ? await page.evaluate(mseSupportInPage, config.codecs) :
            await page.evaluate((codecs) => window.bifrost.mseSupport(codecs), config.codecs);
        const unsupported = Object.entries(result.mse).filter(([, ok]) => !ok).map(([codec]) => codec);
        if (unsupported.length > 0)
        {
            result.failure = 'MSE in this Chromium does not support ' + unsupported.join(', ') +
                ' (MediaSource.isTypeSupported is false)';
            return;
        }
        if (config.mseOnly)
        {
            result.ok = true;
            return;
        }

        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        if (reference)
        {
            await page.evaluate(probeReferencePlayer);
        }
        else
        {
            await page.evaluate((c) => window.bifrost.start(c), { url: config.url, player: config.player,
                startTop: config.startTop, bufferSeconds: config.bufferSeconds, subtitles: config.subtitles,
                live: config.live, drm: config.drm || null });
        }
        const snap = reference ? () => page.evaluate(snapshotReferencePlayer) :
            () => page.evaluate(() => window.bifrost.snapshot());

        const deadline = began + config.timeoutMs;
        // VOD: the position reached; live: how far playback advanced since it joined the stream, jumps excluded.
        const played = (s) => config.live ? result.live.advancedSeconds : s.currentTime;
        let phase = 'startup';
        let snapshot = null;
        let lastLevel = null;
        let topSeen = false;
        while (Date.now() < deadline)
        {
            snapshot = await snap();
            result.samples.push({ atMs: Date.now() - began, currentTime: snapshot.currentTime,
                level: snapshot.level ? snapshot.level.height : null, latency: snapshot.latency,
                estimate: snapshot.bandwidthEstimate,
                bufferedEnd: snapshot.buffered.length ? snapshot.buffered[snapshot.buffered.length - 1][1] : 0 });
            const height = snapshot.level ? snapshot.level.height : null;
            topSeen = topSeen || (height !== null && height === topHeight(snapshot));
            if (height !== lastLevel && height !== null)
            {
                result.switches.push({ atMs: Date.now() - began, height, bitrate: snapshot.level.bitrate,
                    currentTime: snapshot.currentTime, throttled: phase === 'throttled' });
                lastLevel = height;
            }
            if (snapshot.errors.some((e) => e.fatal))
            {
                result.failure = 'fatal player error in phase ' + phase;
                break;
            }
            if (result.startupMs === null && snapshot.currentTime > 0 && !snapshot.paused)
            {
                result.startupMs = snapshot.firstPlayingMs;
                result.pageStartupMs = reference ? snapshot.pageStartupMs : null;
            }
            // "bifrost": the lower rung plays once the rung throttled has played (a buffer after the request).
            if (reference && result.throttle && height !== null && height >= result.throttle.fromHeight)
            {
                result.throttle.fromPlayed = true;
            }
            else if (reference && result.throttle && result.throttle.fromPlayed &&
                result.throttle.playedSwitchMs === null && height !== null && height < result.throttle.fromHeight)
            {
                result.throttle.playedSwitchMs = Date.now() - began - result.throttle.startedAtMs;
            }
            const subtitlesReady = !config.subtitles ||
                snapshot.textTracks.some((track) => track.kind !== 'metadata' && track.cues > 0);
            if (phase === 'startup' && snapshot.currentTime > 0.2)
            {
                result.firstCurrentTime = snapshot.currentTime;
                result.live.joinedAtMs = result.samples[result.samples.length - 1].atMs;
                phase = config.throttle ? 'top' : 'tail';
            }
            // Live playback is the sum of forward steps between samples. A step more than 1 s longer than the wall
            // time between the samples is a jump (a seek to the live edge or over a buffer gap, not playback): it is
            // counted apart (jumps, jumpSeconds) and adds nothing, and playback goes on counting after it.
            const previous = result.samples[result.samples.length - 2];
            if (config.live && phase !== 'startup' && previous && previous.atMs >= result.live.joinedAtMs)
            {
                const step = snapshot.currentTime - previous.currentTime;
                if (step > (result.samples[result.samples.length - 1].atMs - previous.atMs) / 1000 + 1)
                {
                    result.events.push({ atMs: Date.now() - began, name: 'liveJump',
                        detail: { from: previous.currentTime, to: snapshot.currentTime } });
                    result.live.jumps++;
                    result.live.jumpSeconds += step;
                }
                else if (step > 0)
                {
                    result.live.advancedSeconds += step;
                }
            }
            // Throttle once the top rung has played and the player is above the lowest rung (a player whose own
            // estimate wavers on a loaded machine may already be one rung down), then wait for a lower rung.
            // "bifrost": once the seed ABR loads the top rung; then wait for its first request for a lower rung.
            const loadHeight = snapshot.loadLevel ? snapshot.loadLevel.height : null;
            const throttleReady = reference ?
                loadHeight !== null && loadHeight === topHeight(snapshot) && loadHeight > lowestHeight(snapshot) :
                topSeen && height !== null && height > lowestHeight(snapshot);
            const lowerRequest = reference && phase === 'throttled' ? firstLowerRequest(snapshot) : null;
            if (phase === 'top' && throttleReady && snapshot.currentTime >= config.throttle.afterSeconds)
            {
                const kbps = config.throttle.kbps;
                await cdp.send('Network.emulateNetworkConditions', { offline: false,
                    latency: config.throttle.latencyMs || 20, downloadThroughput: kbps * 1000 / 8,
                    uploadThroughput: kbps * 1000 / 8 });
                result.throttle = { kbps, startedAtMs: Date.now() - began,
                    fromHeight: reference ? loadHeight : snapshot.level.height, atCurrentTime: snapshot.currentTime,
                    releasedAtMs: null, toHeight: null, switchMs: null };
                if (reference)
                {
                    Object.assign(result.throttle, { startedAtPageMs: await page.evaluate(() => performance.now()),
                        decisionMs: null, reactionMs: null, fromPlayed: false, playedSwitchMs: null,
                        bufferAtThrottleS:
                        snapshot.buffered.length ? snapshot.buffered[snapshot.buffered.length - 1][1] -
                        snapshot.currentTime : 0 });
                }
                phase = 'throttled';
            }
            else if (phase === 'throttled' && (reference ? lowerRequest !== null :
                height !== null && height < result.throttle.fromHeight))
            {
                await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0,
                    downloadThroughput: -1, uploadThroughput: -1 });
                result.throttle.releasedAtMs = Date.now() - began;
                result.throttle.releasedAtCurrentTime = snapshot.currentTime;
                if (reference)
                {
                    // The driver's clock (when Playwright reports a request) only decides when to release the
                    // throttle; the times reported are the page's, taken after the run (resource timing).
                    result.throttle.toHeight = lowerRequest.height;
                    result.throttle.lowerRequest = lowerRequest.path;
                    result.throttle.driverSwitchMs = lowerRequest.atMs - result.throttle.startedAtMs;
                }
                else
                {
                    result.throttle.toHeight = snapshot.level.height;
                    result.throttle.switchMs = result.throttle.releasedAtMs - result.throttle.startedAtMs;
                }
                phase = 'tail';
            }
            else if (phase === 'tail' && subtitlesReady && (snapshot.ended || (played(snapshot) >= config.minSeconds &&
                (!result.throttle || snapshot.currentTime >= result.throttle.releasedAtCurrentTime + 1))))
            {
                phase = 'done';
                break;
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        if (phase !== 'done' && result.failure === null)
        {
            result.failure = 'timed out after ' + config.timeoutMs + ' ms in phase ' + phase +
                (phase === 'throttled' ? ' (no lower rendition played while throttled)' : '') +
                (phase === 'tail' && config.subtitles ? ' (or no subtitle cues loaded)' : '');
        }
        snapshot = await snap();
        if (reference && result.throttle && result.throttle.releasedAtMs !== null)
        {
            const throttle = result.throttle;
            const times = await page.evaluate(pageTimesAfter, { fromPageMs: throttle.startedAtPageMs,
                lower: snapshot.levels.filter((l) => l.height < throttle.fromHeight).map((l) => l.rendition) });
            const since = (ms) => ms === null ? null : Math.round(ms - throttle.startedAtPageMs);
            throttle.switchMs = since(times.firstLowerRequestMs);
            throttle.lowerRequest = times.firstLowerRequest || throttle.lowerRequest;
            throttle.decisionMs = since(times.decisionMs);
            throttle.decision = times.decision;
            throttle.reactionMs = times.firstLowerRequestMs === null || times.firstRequestMs === null ? null :
                Math.round(times.firstLowerRequestMs - times.firstRequestMs);
            throttle.requestsUnder = times.requests;
        }
        result.playerVersion = snapshot.version;
        result.errors = snapshot.errors;
        result.events = result.events.concat(snapshot.events);
        result.levels = snapshot.levels;
        result.textTracks = snapshot.textTracks;
        if (reference)
        {
            result.abrDecisions = snapshot.decisions;
            result.qoe = snapshot.qoe;
            result.startup = await page.evaluate(startupTimeline);
        }
        result.final = { currentTime: snapshot.currentTime, ended: snapshot.ended, paused: snapshot.paused,
            videoWidth: snapshot.videoWidth, videoHeight: snapshot.videoHeight, totalFrames: snapshot.totalFrames,
            droppedFrames: snapshot.droppedFrames, level: snapshot.level, latency: snapshot.latency };
        if (config.screenshot)
        {
            mkdirSync(dirname(config.screenshot), { recursive: true });
            await page.screenshot({ path: config.screenshot });
            result.screenshot = config.screenshot;
        }
        result.ok = result.failure === null;
    }
    finally
    {
        if (browser)
        {
            await browser.close();
        }
        server.close();
    }
}

try
{
    await main();
}
catch (e)
{
    result.failure = 'harness: ' + (e && e.stack ? e.stack : String(e));
}
result.wallMs = Date.now() - began;
writeFileSync(resultPath, JSON.stringify(result, null, 2));
process.exit(0);
