#!/usr/bin/env node
// Glass-to-glass player latency, the same way for every server: hls.js players side by side in one page of Debian's
// headless Chromium; every intervalMs the page draws each <video>'s current frame to a canvas, reads the frame number
// burnt into the picture (code.mjs) and notes the wall clock. The wrapper (perf/load/player-latency) turns
// (wall ms, frame n) into latency = wall - (T0 + n / fps) with the publisher's T0.
//
//   node measure.mjs --print-filter [offset]     the ffmpeg -vf chain that draws the code
//   node measure.mjs --self-test                 renders known frames with ffmpeg and checks the reader (exit 1 if not)
//   node measure.mjs <config.json> <result.json> measure
//
// config: {
//   players:       [{name, url, player: "hls.js" | "dash.js", config: {hls.js config | dash.js settings}}], side by
//                  side; latency samples carry hls.latency or dash.js's getCurrentLiveLatency()
//   seconds:       how long to sample after the page started the players (settle included; the wrapper cuts it)
//   intervalMs:    sampling period (default 200)
//   screenshot:    PNG path written at the end, or null
//   chromium:      the browser binary (default /usr/bin/chromium); never a downloaded browser
// }
// Uses playwright-core, hls.js and dash.js from system-tests/browser/node_modules (npm ci there), nothing else.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decode, filter, paintCell, SOURCE_HEIGHT, SOURCE_WIDTH } from './code.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const browserDir = join(here, '..', '..', 'system-tests', 'browser');
const HLS_JS = join(browserDir, 'node_modules/hls.js/dist/hls.min.js');
const DASH_JS = join(browserDir, 'node_modules/dashjs/dist/modern/umd/dash.all.min.js');
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>player latency</title>
<style>body{margin:0;background:#222;color:#eee;font:12px sans-serif;display:flex}
div{margin:2px}video{width:640px;height:360px;background:#000;display:block}</style></head><body>
<script src="/hls.js"></script><script src="/dash.js"></script>
<script type="module">
import { decode } from '/code.mjs';
const players = [];
function stamp(p, name, detail) { if (p.events.length < 200) p.events.push({ t: Date.now(), name, detail }); }
window.latency = {
  version: 'hls.js ' + Hls.version + ', dash.js ' + dashjs.Version,
  start(specs, intervalMs) {
    for (const spec of specs) {
      const box = document.createElement('div');
      box.textContent = spec.name;
      const video = document.createElement('video');
      video.muted = true; video.autoplay = true; video.playsInline = true;
      box.appendChild(video); document.body.appendChild(box);
      const canvas = document.createElement('canvas');
      const p = { name: spec.name, video, canvas, ctx: canvas.getContext('2d', { willReadFrequently: true }),
        samples: [], stalls: [], stallFrom: null, playing: false, errors: [], events: [] };
      if (spec.player === 'dash.js') {
        const dash = dashjs.MediaPlayer().create();
        dash.updateSettings(spec.config);
        dash.on(dashjs.MediaPlayer.events.ERROR, (e) => {
          if (p.errors.length < 100) p.errors.push({ t: Date.now(), fatal: true, type: 'dash',
            details: String(e.error ? e.error.code + ' ' + e.error.message : e).slice(0, 200) });
        });
        dash.on(dashjs.MediaPlayer.events.MANIFEST_LOADED, () => stamp(p, 'manifestParsed'));
        p.latencyOf = () => dash.getCurrentLiveLatency();
        dash.initialize(video, spec.url, true);
      } else {
        const hls = new Hls(Object.assign({ debug: false, enableWorker: true }, spec.config));
        p.latencyOf = () => hls.latency;
        hls.on(Hls.Events.ERROR, (e, d) => {
          if (p.errors.length < 100) p.errors.push({ t: Date.now(), fatal: !!d.fatal, type: d.type, details: d.details });
          if (!d.fatal) return;
          if (d.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
          else setTimeout(() => hls.startLoad(), 500);
        });
        hls.on(Hls.Events.MANIFEST_PARSED, () => { stamp(p, 'manifestParsed'); video.play().catch(() => {}); });
        hls.loadSource(spec.url);
        hls.attachMedia(video);
      }
      video.addEventListener('playing', () => {
        if (!p.playing) stamp(p, 'firstPlaying');
        p.playing = true;
        if (p.stallFrom !== null) { p.stalls.push({ t: p.stallFrom, ms: Date.now() - p.stallFrom }); p.stallFrom = null; }
      });
      video.addEventListener('waiting', () => { if (p.playing && p.stallFrom === null) p.stallFrom = Date.now(); });
      players.push(p);
    }
    setInterval(() => {
      for (const p of players) {
        const v = p.video, w = v.videoWidth, h = v.videoHeight, t = Date.now();
        const latency = p.latencyOf();
        const sample = { t, n: null, reason: 'no-frame', latency: Number.isFinite(latency) ? latency : null,
          ct: v.currentTime, h };
        if (w > 0 && h > 0 && v.readyState >= 2) {
          if (p.canvas.width !== w || p.canvas.height !== h) { p.canvas.width = w; p.canvas.height = h; }
          p.ctx.drawImage(v, 0, 0, w, h);
          const read = decode(p.ctx.getImageData(0, 0, w, h).data, w, h);
          sample.n = read.n; sample.reason = read.reason;
        }
        p.samples.push(sample);
      }
    }, intervalMs);
  },
  drain() {
    return players.map((p) => {
      const out = { name: p.name, samples: p.samples, stalls: p.stalls, errors: p.errors, events: p.events,
        stalledNow: p.stallFrom === null ? null : p.stallFrom };
      p.samples = []; p.stalls = []; p.errors = []; p.events = [];
      return out;
    });
  },
};
</script></body></html>`;

function serve()
{
    const files = { '/hls.js': [HLS_JS, 'text/javascript'], '/dash.js': [DASH_JS, 'text/javascript'],
        '/code.mjs': [join(here, 'code.mjs'), 'text/javascript'] };
    return new Promise((resolve) =>
    {
        const server = createServer((request, response) =>
        {
            const path = new URL(request.url, 'http://localhost').pathname;
            if (path === '/' || path === '/index.html')
            {
                response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
                response.end(PAGE);
                return;
            }
            const file = files[path];
            if (!file)
            {
                response.writeHead(404).end();
                return;
            }
            response.writeHead(200, { 'content-type': file[1] + '; charset=utf-8', 'cache-control': 'no-store' });
            response.end(readFileSync(file[0]));
        });
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

async function measure(configPath, resultPath)
{
    const config = Object.assign({ intervalMs: 200, seconds: 60, screenshot: null, chromium: '/usr/bin/chromium' },
        JSON.parse(readFileSync(configPath, 'utf8')));
    const require = createRequire(join(browserDir, 'package.json'));
    const { chromium } = require('playwright-core');
    // The browser suite's flags, loaded here so --self-test runs without the npm packages.
    const { MEDIA_ARGS: CHROMIUM_ARGS } = await import(pathToFileURL(join(browserDir, 'chromium.mjs')).href);
    const result = { chromium: null, playerVersions: null, startedAt: null, players: {}, pageErrors: [] };
    for (const spec of config.players)
    {
        result.players[spec.name] = { url: spec.url, player: spec.player, config: spec.config, samples: [], stalls: [],
            errors: [], events: [],
            stalledAtEnd: null };
    }
    const server = await serve();
    const profile = mkdtempSync(join(tmpdir(), 'bifrost-latency-chromium-'));
    let context = null;
    try
    {
        context = await chromium.launchPersistentContext(profile, { executablePath: config.chromium, headless: true,
            args: CHROMIUM_ARGS, viewport: { width: 660 * config.players.length, height: 400 } });
        const page = context.pages()[0] || await context.newPage();
        page.on('pageerror', (e) => result.pageErrors.length < 50 && result.pageErrors.push(String(e).slice(0, 300)));
        await page.goto('http://127.0.0.1:' + server.address().port + '/', { waitUntil: 'load' });
        await page.waitForFunction(() => window.latency !== undefined, null, { timeout: 10000 });
        result.chromium = context.browser() ? context.browser().version() : await page.evaluate(() => navigator.userAgent);
        result.playerVersions = await page.evaluate(() => window.latency.version);
        result.startedAt = Date.now();
        await page.evaluate(([specs, interval]) => window.latency.start(specs, interval),
            [config.players.map(({ name, url, player, config: settings }) => ({ name, url, player, config: settings })),
                config.intervalMs]);
        const end = result.startedAt + config.seconds * 1000;
        const collect = async () =>
        {
            for (const drained of await page.evaluate(() => window.latency.drain()))
            {
                const into = result.players[drained.name];
                for (const key of ['samples', 'stalls', 'errors', 'events'])
                {
                    into[key].push(...drained[key]);
                }
                into.stalledAtEnd = drained.stalledNow;
            }
        };
        while (Date.now() < end)
        {
            await new Promise((resolve) => setTimeout(resolve, Math.min(2000, Math.max(0, end - Date.now()))));
            await collect();
        }
        result.endedAt = Date.now();
        if (config.screenshot)
        {
            await page.screenshot({ path: config.screenshot });
        }
    }
    finally
    {
        writeFileSync(resultPath, JSON.stringify(result));
        if (context)
        {
            await context.close().catch(() => {});
        }
        server.close();
        rmSync(profile, { recursive: true, force: true });
    }
}

/** Raw RGBA frames from an ffmpeg command that writes rawvideo to stdout. */
function frames(args, width, height)
{
    const run = spawnSync('ffmpeg', ['-v', 'error', ...args, '-pix_fmt', 'rgba', '-f', 'rawvideo', '-'],
        { maxBuffer: 1 << 30 });
    if (run.status !== 0)
    {
        throw new Error('ffmpeg ' + args.join(' ') + ' failed: ' + run.stderr);
    }
    const size = width * height * 4;
    const out = [];
    for (let offset = 0; offset + size <= run.stdout.length; offset += size)
    {
        out.push(new Uint8ClampedArray(run.stdout.buffer, run.stdout.byteOffset + offset, size).slice());
    }
    return out;
}

function selfTest()
{
    const failures = [];
    const source = `testsrc2=size=${SOURCE_WIDTH}x${SOURCE_HEIGHT}:rate=30`;
    const expect = (label, pictures, width, height, first, minExact) =>
    {
        let exact = 0;
        pictures.forEach((rgba, i) =>
        {
            const read = decode(rgba, width, height);
            if (read.n === first + i)
            {
                exact++;
            }
            else if (read.n !== null)
            {
                failures.push(`${label}: frame ${first + i} read as ${read.n} (a wrong reading must never pass)`);
            }
        });
        const ok = pictures.length > 0 && exact >= minExact * pictures.length;
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}: ${exact}/${pictures.length} read exactly`);
        if (!ok)
        {
            failures.push(`${label}: only ${exact} of ${pictures.length} read`);
        }
    };
    for (const offset of [0, 1, 2047, 21845, 43690, 65530])
    {
        const pictures = frames(['-f', 'lavfi', '-i', source, '-frames:v', '6', '-vf', filter(offset)],
            SOURCE_WIDTH, SOURCE_HEIGHT);
        expect(`source 640x360, frames ${offset}..${offset + 5}`, pictures, SOURCE_WIDTH, SOURCE_HEIGHT, offset, 1);
    }
    const work = mkdtempSync(join(tmpdir(), 'bifrost-latency-selftest-'));
    try
    {
        // What reaches the player: x264 (ultrafast, zerolatency, the 1 s GOP), downscaled as a low rung would be.
        for (const [width, height, crf, minExact] of [[640, 360, 23, 1], [426, 240, 35, 1], [256, 144, 30, 0.9]])
        {
            const clip = join(work, `${width}.mp4`);
            const encode = spawnSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-frames:v', '60',
                '-vf', filter(30000) + `,scale=${width}:${height}`, '-c:v', 'libx264', '-preset', 'ultrafast',
                '-tune', 'zerolatency', '-g', '30', '-crf', String(crf), clip]);
            if (encode.status !== 0)
            {
                throw new Error('ffmpeg encode failed: ' + encode.stderr);
            }
            expect(`x264 ${width}x${height} crf ${crf}, frames 30000..30059`, frames(['-i', clip], width, height),
                width, height, 30000, minExact);
        }
    }
    finally
    {
        rmSync(work, { recursive: true, force: true });
    }
    const plain = frames(['-f', 'lavfi', '-i', source, '-frames:v', '30'], SOURCE_WIDTH, SOURCE_HEIGHT);
    const misread = plain.filter((rgba) => decode(rgba, SOURCE_WIDTH, SOURCE_HEIGHT).n !== null).length;
    console.log(`${misread === 0 ? 'ok  ' : 'FAIL'} picture without a code: ${plain.length - misread}/${plain.length} rejected`);
    if (misread > 0)
    {
        failures.push(`${misread} pictures without a code were read as a frame number`);
    }
    const good = frames(['-f', 'lavfi', '-i', source, '-frames:v', '1', '-vf', filter(5)], SOURCE_WIDTH, SOURCE_HEIGHT)[0];
    const corruptions = {
        complement: (rgba) => paintCell(rgba, SOURCE_WIDTH, SOURCE_HEIGHT, 1, 2, true), // bit 0 is 1: row 1 is black
        reference: (rgba) => paintCell(rgba, SOURCE_WIDTH, SOURCE_HEIGHT, 0, 0, false),
    };
    for (const [reason, corrupt] of Object.entries(corruptions))
    {
        const rgba = good.slice();
        corrupt(rgba);
        const read = decode(rgba, SOURCE_WIDTH, SOURCE_HEIGHT);
        const ok = read.n === null && read.reason === reason;
        console.log(`${ok ? 'ok  ' : 'FAIL'} corrupted code (${reason}): ${JSON.stringify(read)}`);
        if (!ok)
        {
            failures.push(`corrupted (${reason}) read as ${JSON.stringify(read)}`);
        }
    }
    const tiny = decode(new Uint8ClampedArray(16), 2, 2);
    if (tiny.reason !== 'size')
    {
        failures.push('a 2x2 picture was not refused');
    }
    if (failures.length > 0)
    {
        console.error('self-test FAILED:\n  ' + failures.join('\n  '));
        process.exit(1);
    }
    console.log('self-test passed');
}

const args = process.argv.slice(2);
if (args[0] === '--print-filter')
{
    process.stdout.write(filter(Number(args[1] || 0)) + '\n');
}
else if (args[0] === '--self-test')
{
    selfTest();
}
else if (args.length === 2)
{
    await measure(args[0], args[1]);
}
else
{
    console.error('usage: node measure.mjs --self-test | --print-filter [offset] | <config.json> <result.json>');
    process.exit(2);
}
