// Debian's headless Chromium as every browser script here opens it (play.mjs, dashboard.mjs and
// perf/player-latency/measure.mjs): the flags of STACK.md, a fresh profile per run (Playwright refuses
// --user-data-dir, so a persistent context gets a temporary one), page errors collected, everything removed on close.
// Never a downloaded browser: the binary is the caller's `chromium` setting (/usr/bin/chromium by default).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Flags for every page. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Flags for pages that play media without a user gesture. */
export const MEDIA_ARGS = [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required', '--mute-audio'];

/**
 * Launch Chromium with a fresh profile and open its page.
 *
 * @param options    { executablePath, args, viewport, profilePrefix }
 * @param pageErrors array that receives uncaught page errors and console errors (at most 50, 500 characters each)
 * @returns { context, page, version, close() }: close() ends the browser and deletes the profile, never throws
 */
export async function openPage({ executablePath, args = CHROMIUM_ARGS, viewport, profilePrefix = 'bifrost-chromium-' },
    pageErrors)
{
    const profile = mkdtempSync(join(tmpdir(), profilePrefix));
    let context = null;
    const close = async () =>
    {
        if (context)
        {
            await context.close().catch(() => {});
        }
        rmSync(profile, { recursive: true, force: true });
    };
    try
    {
        context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args, viewport });
        const page = context.pages()[0] || await context.newPage();
        const note = (text) =>
        {
            if (pageErrors.length < 50)
            {
                pageErrors.push(text.slice(0, 500));
            }
        };
        page.on('pageerror', (e) => note(String(e)));
        page.on('console', (message) => message.type() === 'error' && note('console: ' + message.text()));
        return { context, page, version: context.browser() ? context.browser().version() : null, close };
    }
    catch (error)
    {
        await close();
        throw error;
    }
}
