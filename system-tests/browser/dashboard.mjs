#!/usr/bin/env node
// Opens the control plane's web dashboard in Debian's headless Chromium, waits until its charts have data, checks
// what it drew (DOM: edge rows, SVG line paths with points, bars) and saves a screenshot; reports as JSON.
//
//   node dashboard.mjs <config.json> <result.json>
//
// config: {
//   url:        the dashboard, e.g. http://127.0.0.1:8082/dashboard
//   token:      optional admin token typed into the page's login field (kept in sessionStorage, sent as Bearer)
//   minPoints:  the requests chart must have at least this many samples before the run counts as done
//   hotContent: optional content id the hot-content chart must show before the run counts as done
//   experienceContent: optional content id to choose in the experience selector; the run then waits until the
//              experience charts show that content with a startup point (QoE beacons)
//   screenshot: PNG path written at the end (full page)
//   timeoutMs:  the whole run's deadline
//   chromium:   the browser binary (default /usr/bin/chromium); never a downloaded browser
// }
//
// The result always comes back (exit 0) unless the harness itself breaks; the caller asserts on it.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CHROMIUM_ARGS, openPage } from './chromium.mjs';

const [configPath, resultPath] = process.argv.slice(2);
if (!configPath || !resultPath)
{
    console.error('usage: node dashboard.mjs <config.json> <result.json>');
    process.exit(2);
}
const config = Object.assign({ token: null, minPoints: 2, hotContent: null, experienceContent: null, screenshot: null,
    timeoutMs: 60000,
    chromium: '/usr/bin/chromium' }, JSON.parse(readFileSync(configPath, 'utf8')));

/** Everything the page drew that the test checks, read from the DOM. */
function snapshot()
{
    const chart = (id) =>
    {
        const svg = document.getElementById(id);
        const line = svg ? svg.querySelector('path.line') : null;
        const d = line ? line.getAttribute('d') : '';
        const coordinates = (d.match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g) || []).map((pair) => pair.split(',').map(Number));
        const secondary = svg ? svg.querySelector('path.line.secondary') : null;
        return {
            points: line ? Number(line.dataset.points) : 0,
            secondaryPoints: secondary ? Number(secondary.dataset.points) : 0,
            pathPoints: coordinates.length,
            distinctY: new Set(coordinates.map((c) => c[1])).size,
            circles: svg ? svg.querySelectorAll('circle.point').length : 0,
            empty: svg && svg.querySelector('text.empty') ? svg.querySelector('text.empty').textContent : null,
        };
    };
    const bars = (id) => Array.from(document.querySelectorAll('#' + id + ' rect.bar')).map((bar) =>
        ({ key: bar.dataset.key, value: Number(bar.dataset.value), width: Number(bar.getAttribute('width')) }));
    return {
        refreshes: Number(document.body.dataset.refreshes || 0),
        samples: Number(document.body.dataset.samples || 0),
        status: document.getElementById('status').textContent,
        summary: document.getElementById('summary').textContent,
        edges: Array.from(document.querySelectorAll('#edges .edge[data-edge-id]')).map((row) =>
            ({ id: row.dataset.edgeId, status: row.dataset.status, meters: row.querySelectorAll('svg.meter').length })),
        charts: {
            requests: chart('chart-requests'),
            hitRatio: chart('chart-hit-ratio'),
            bandwidth: chart('chart-bandwidth'),
            viewers: chart('chart-viewers'),
            startup: chart('chart-startup'),
            rebuffer: chart('chart-rebuffer'),
            bitrate: chart('chart-bitrate'),
            firstByte: chart('chart-first-byte'),
        },
        experienceSamples: Number(document.body.dataset.experienceSamples || 0),
        experienceContent: document.body.dataset.experienceContent || null,
        experienceChoices: Array.from(document.querySelectorAll('#experience-content option')).map((o) => o.value),
        hotContent: bars('hot-content'),
        liveStreams: bars('live-streams'),
        liveEmpty: (document.querySelector('#live-streams text.empty') || {}).textContent || null,
        storedToken: sessionStorage.getItem('bifrost.adminToken') !== null,
    };
}

async function main()
{
    const result = { ok: false, pageErrors: [], requests: [], snapshot: null, error: null, screenshot: null };
    let browser = null;
    try
    {
        browser = await openPage({ executablePath: config.chromium, args: CHROMIUM_ARGS,
            viewport: { width: 1400, height: 1000 }, profilePrefix: 'bifrost-dashboard-' }, result.pageErrors);
        const page = browser.page;
        result.chromiumVersion = browser.version;
        page.on('request', (request) =>
        {
            if (result.requests.length < 200)
            {
                result.requests.push({ url: request.url(), authorization: request.headers().authorization ? 'bearer' : null });
            }
        });
        const deadline = Date.now() + config.timeoutMs;
        await page.goto(config.url, { timeout: config.timeoutMs });
        if (config.token)
        {
            await page.fill('#token', config.token);
            await page.click('#login button[type=submit]');
        }
        await page.waitForFunction(({ minPoints, hotContent }) =>
        {
            const line = document.querySelector('#chart-requests path.line');
            const edge = document.querySelector('#edges .edge[data-edge-id]');
            const hot = hotContent === null ||
                Array.from(document.querySelectorAll('#hot-content rect.bar')).some((bar) => bar.dataset.key === hotContent);
            return line !== null && Number(line.dataset.points) >= minPoints && edge !== null && hot;
        }, { minPoints: config.minPoints, hotContent: config.hotContent },
        { timeout: Math.max(1000, deadline - Date.now()), polling: 250 });
        if (config.experienceContent)
        {
            await page.waitForFunction((content) => Array.from(document.querySelectorAll('#experience-content option'))
                .some((option) => option.value === content), config.experienceContent,
            { timeout: Math.max(1000, deadline - Date.now()), polling: 250 });
            await page.selectOption('#experience-content', config.experienceContent);
            await page.waitForFunction((content) => document.body.dataset.experienceContent === content &&
                document.querySelector('#chart-startup path.line') !== null, config.experienceContent,
            { timeout: Math.max(1000, deadline - Date.now()), polling: 250 });
        }
        result.snapshot = await page.evaluate(snapshot);
        if (config.screenshot)
        {
            mkdirSync(dirname(config.screenshot), { recursive: true });
            await page.screenshot({ path: config.screenshot, fullPage: true });
            result.screenshot = config.screenshot;
        }
        result.ok = true;
    }
    catch (error)
    {
        result.error = String(error && error.stack ? error.stack : error).slice(0, 2000);
        if (browser)
        {
            result.snapshot = await browser.page.evaluate(snapshot).catch(() => null);
            if (config.screenshot)
            {
                await browser.page.screenshot({ path: config.screenshot, fullPage: true }).catch(() => {});
                result.screenshot = config.screenshot;
            }
        }
    }
    finally
    {
        if (browser)
        {
            await browser.close();
        }
    }
    writeFileSync(resultPath, JSON.stringify(result, null, 2));
}

try
{
    await main();
}
catch (error)
{
    console.error(error);
    process.exit(1);
}
