#!/usr/bin/env node
// Plays one stream in one real player inside Debian's headless Chromium and reports what happened, as JSON.
//
//   node play.mjs <config.json> <result.json>
//
// config: {
//   url:               the master playlist or MPD (from a Bifrost edge)
//   player:            "hls.js" | "dash.js" | "shaka"
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
//                      CDP until the player is on a lower rung than when throttled, then released again
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
};
const began = Date.now();

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

function topHeight(snapshot)
{
    return Math.max(0, ...snapshot.levels.map((level) => level.height));
}

function lowestHeight(snapshot)
{
    return Math.min(...snapshot.levels.map((level) => level.height));
}

async function main()
{
    const server = await serve();
    let browser = null;
    try
    {
        browser = await openPage({ executablePath: config.chromium, args: MEDIA_ARGS,
            viewport: { width: 1280, height: 720 } }, result.pageErrors);
        const { context, page } = browser;
        result.chromiumVersion = browser.version;
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
        await page.goto('http://127.0.0.1:' + port + '/player.html', { waitUntil: 'load' });
        if (!result.chromiumVersion)
        {
            result.chromiumVersion = await page.evaluate(() => navigator.userAgent);
        }
        result.mse = await page.evaluate((codecs) => window.bifrost.mseSupport(codecs), config.codecs);
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
        await page.evaluate((c) => window.bifrost.start(c), { url: config.url, player: config.player,
            startTop: config.startTop, bufferSeconds: config.bufferSeconds, subtitles: config.subtitles,
            live: config.live, drm: config.drm || null });

        const deadline = began + config.timeoutMs;
        // VOD: the position reached; live: how far playback advanced since it joined the stream, jumps excluded.
        const played = (s) => config.live ? result.live.advancedSeconds : s.currentTime;
        let phase = 'startup';
        let snapshot = null;
        let lastLevel = null;
        let topSeen = false;
        while (Date.now() < deadline)
        {
            snapshot = await page.evaluate(() => window.bifrost.snapshot());
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
            if (phase === 'top' && topSeen && height !== null && height > lowestHeight(snapshot) &&
                snapshot.currentTime >= config.throttle.afterSeconds)
            {
                const kbps = config.throttle.kbps;
                await cdp.send('Network.emulateNetworkConditions', { offline: false,
                    latency: config.throttle.latencyMs || 20, downloadThroughput: kbps * 1000 / 8,
                    uploadThroughput: kbps * 1000 / 8 });
                result.throttle = { kbps, startedAtMs: Date.now() - began, fromHeight: snapshot.level.height,
                    atCurrentTime: snapshot.currentTime, releasedAtMs: null, toHeight: null, switchMs: null };
                phase = 'throttled';
            }
            else if (phase === 'throttled' && height !== null && height < result.throttle.fromHeight)
            {
                await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0,
                    downloadThroughput: -1, uploadThroughput: -1 });
                result.throttle.releasedAtMs = Date.now() - began;
                result.throttle.toHeight = snapshot.level.height;
                result.throttle.releasedAtCurrentTime = snapshot.currentTime;
                result.throttle.switchMs = result.throttle.releasedAtMs - result.throttle.startedAtMs;
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
        snapshot = await page.evaluate(() => window.bifrost.snapshot());
        result.playerVersion = snapshot.version;
        result.errors = snapshot.errors;
        result.events = result.events.concat(snapshot.events);
        result.levels = snapshot.levels;
        result.textTracks = snapshot.textTracks;
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
