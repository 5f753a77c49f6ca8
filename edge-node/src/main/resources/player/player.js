/*
 * Bifrost reference player page: plays /vod/{id}/master.m3u8 (page /player/{id}) or /live/{id}/master.m3u8
 * (page /player/live/{id}) with hls.js and the seed ABR controller (seed-abr.js), and reports QoE beacons to
 * POST /player/qoe (schema: io.bifrost.edge.player.QoeBeaconParser). A signed-URL token given to the page
 * (/player/{id}?token=...) goes into the manifest's path, /t/{token}/vod/{id}/master.m3u8: every playlist, segment
 * and part URI is resolved relative to it and keeps the token (with hls.js and with native HLS alike). Any other
 * query parameters of the page are added to every media request that has no query of its own.
 * Options go in the fragment, which no request carries: #buffer=S holds the forward buffer to S seconds (4 to 60;
 * hls.js's maxBufferLength and its cap maxMaxBufferLength both), e.g. for a page that must adapt sooner; without it
 * the seed's SegmentConfig applies (30 s target, up to 60 s at low bitrates). #debug=1 turns on hls.js's own logging
 * (to the console).
 *
 * For tests and operators it exposes window.bifrostPlayer:
 *   hls            the Hls instance (null where the browser plays HLS natively)
 *   video          the <video> element
 *   contentId, live, manifestUrl, hlsJsVersion
 *   scriptStartMs  performance.now() when this script started (qoe.startupMs counts from it)
 *   bufferGoalS    the forward buffer goal in seconds (#buffer, default 30)
 *   qoe            running totals: startupMs (null until the first frame), rebufferCount, rebufferMs, switchesUp,
 *                  switchesDown, playedMs, bitrateBps (level playing now), meanBitrateBps, estimateBps, bufferS,
 *                  beaconsSent, beaconsFailed, fatalErrors, state ('loading' | 'playing' | 'stalled' | 'paused' |
 *                  'ended' | 'error')
 *   levelSwitches  [{atMs, from, to, bitrateBps}] for every level switch seen by the viewer (hls LEVEL_SWITCHED)
 *   decisions      the last 100 seed ABR decisions that switched or abandoned a load [{atMs, level, target, reason}]
 *                  (not the 'hold', 'no-estimate', 'up-waiting' and 'down-waiting' answers hls.js asks for each tick)
 *   timeline       the startup, on the page's clock (ms since navigation, not since scriptStartMs) until the first
 *                  'playing': [{atMs, name, detail}] for loadSource, hls.js's manifestLoading/Loaded/Parsed,
 *                  mediaAttached, the first levelLoading/levelLoaded (live: edge, liveSyncPosition, targetLatency,
 *                  whether it was a blocking reload), every fragLoading/fragLoaded/bufferAppended ({type, level, sn,
 *                  part, independent, start, duration}; the first 120 entries), bufferCreated, and the video's
 *                  loadedmetadata, loadeddata, canplay, play and playing
 *   flush()        sends a beacon now; resolves to the HTTP status (0 when nothing new to report or it failed)
 */
(function ()
{
    'use strict';

    const BEACON_URL = '/player/qoe';
    const BEACON_INTERVAL_MS = 10000;
    const TICK_MS = 250;
    // Live: the whole buffer is the live latency, so the seed's 2/5/10/20 s thresholds scale with the latency target:
    // 0.07 per second of it puts "healthy" (the upgrade gate) at 70% of the target, which a player at its target
    // reaches (its buffer is the target less the part being made). Until hls.js knows its target, 3 s is assumed.
    // A fixed 0.3 (healthy at 3 s) never let a player on Bifrost's 1 s LL-HLS target (PART-HOLD-BACK) climb.
    const LIVE_SCALE_PER_LATENCY_S = 0.07;
    const ASSUMED_LIVE_LATENCY_S = 3;
    // Seed ABR answers that change nothing (hls.js asks on every tick): not kept in bifrostPlayer.decisions.
    const QUIET_DECISIONS = new Set(['hold', 'no-estimate', 'up-waiting', 'down-waiting']);
    // Startup milestones kept in bifrostPlayer.timeline (one entry per fragment or part loaded and appended).
    const TIMELINE_LIMIT = 120;
    // The AudioContext made at the start (so the first frame does not wait for the audio output) is closed at the first
    // 'playing', or after this long.
    const AUDIO_WARMUP_MS = 15000;

    const t0 = performance.now();
    // Start the browser's audio output now, while hls.js fetches the first playlists and parts: Chromium starts its
    // audio service (a process of its own) only when the first audio plays, and the first frame waited for it
    // (0.4-1.1 s after the media was in, against 0.03-0.06 s with it started early, on a busy 2-core machine). A
    // context made without a user gesture stays suspended and plays nothing; it is closed once the video plays.
    // (player.html cannot do it sooner: the page's Content-Security-Policy allows no inline script.)
    let audioWarmup = null;
    if (window.MediaSource && window.AudioContext)
    {
        try
        {
            audioWarmup = new AudioContext();
        }
        catch (e)
        {
            audioWarmup = null;
        }
    }
    const parts = location.pathname.split('/').filter(Boolean);
    const live = parts.length === 3 && parts[1] === 'live';
    const contentId = live ? parts[2] : parts[1];
    const params = new URLSearchParams(location.search);
    const token = params.get('token');
    params.delete('token');
    const query = params.toString() ? '?' + params.toString() : '';
    const tokenPrefix = token ? '/t/' + encodeURIComponent(token) : '';
    const manifestUrl = tokenPrefix + (live ? '/live/' : '/vod/') + encodeURIComponent(contentId) + '/master.m3u8' + query;
    const video = document.getElementById('video');
    // hls.js buffers up to maxBufferSize (60 MB) worth of the level, capped by maxMaxBufferLength: at a low bitrate
    // that cap is the buffer, so #buffer sets both.
    const bufferGoalS = fragmentNumber('buffer', 30, 4, 60);
    const session = Array.from(crypto.getRandomValues(new Uint8Array(8)), b => b.toString(16).padStart(2, '0')).join('');

    const qoe = {
        startupMs: null, rebufferCount: 0, rebufferMs: 0, switchesUp: 0, switchesDown: 0, playedMs: 0, bitrateBps: 0,
        meanBitrateBps: 0, estimateBps: null, bufferS: 0, beaconsSent: 0, beaconsFailed: 0, fatalErrors: 0,
        state: 'loading'
    };
    const levelSwitches = [];
    const decisions = [];
    const timeline = [];
    let bitsPlayed = 0;
    let stallStartMs = null;
    let lastTickMs = null;
    let currentLevel = -1;
    let sequence = 0;
    let startupReported = false;
    const reported = { rebufferCount: 0, rebufferMs: 0, switchesUp: 0, switchesDown: 0, playedMs: 0, bitsPlayed: 0 };

    function text(id, value)
    {
        const element = document.getElementById(id);
        if (element)
        {
            element.textContent = value;
        }
    }

    /** A number option from the page's fragment (#name=value&...), within [min, max], else fallback. */
    function fragmentNumber(name, fallback, min, max)
    {
        const value = Number(new URLSearchParams(location.hash.replace(/^#/, '')).get(name));
        return location.hash && Number.isFinite(value) && value >= min && value <= max ? value : fallback;
    }

    function mbps(bps)
    {
        return bps === null || bps === undefined ? '-' : (bps / 1e6).toFixed(2) + ' Mbit/s';
    }

    function showError(message)
    {
        qoe.state = 'error';
        const element = document.getElementById('error');
        element.textContent = message;
        element.hidden = false;
    }

    function withQuery(url)
    {
        if (!query || url.indexOf('?') >= 0)
        {
            return url;
        }
        return url + query;
    }

    function levelBitrate(level)
    {
        return hls && hls.levels && hls.levels[level] ? hls.levels[level].bitrate : 0;
    }

    /**
     * A startup step on the page's clock (ms since navigation), until the first frame plays; per-fragment steps
     * (perFragment) stop at TIMELINE_LIMIT entries, the once-only milestones are always kept.
     */
    function mark(name, detail, perFragment)
    {
        if (qoe.startupMs === null && (!perFragment || timeline.length < TIMELINE_LIMIT))
        {
            timeline.push({ atMs: Math.round(performance.now()), name: name,
                detail: detail === undefined ? null : detail });
        }
    }

    /** What a FRAG_* / BUFFER_APPENDED event says about the fragment or part: type, level, sn, part, independent. */
    function fragDetail(data)
    {
        const frag = data.frag || {};
        const part = data.part || null;
        return { type: frag.type, level: frag.level, sn: frag.sn, part: part ? part.index : null,
            independent: part ? !!part.independent : null, start: round3(part ? part.start : frag.start),
            duration: round3(part ? part.duration : frag.duration) };
    }

    function round3(value)
    {
        return typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
    }

    /**
     * The startup timeline (bifrostPlayer.timeline): every step hls.js takes between loadSource and the first frame,
     * so a slow start can be read off a run (which request waited, which part started playback).
     */
    function recordStartup(player)
    {
        const events = Hls.Events;
        const once = new Set();
        const first = (name, detail) =>
        {
            if (!once.has(name))
            {
                once.add(name);
                mark(name, detail);
            }
        };
        player.on(events.MANIFEST_LOADING, () => first('manifestLoading'));
        player.on(events.MANIFEST_LOADED, (event, data) => first('manifestLoaded', {
            levels: data.levels ? data.levels.length : 0,
            audioTracks: data.audioTracks ? data.audioTracks.length : 0 }));
        player.on(events.MANIFEST_PARSED, () => first('manifestParsed'));
        player.on(events.MEDIA_ATTACHED, () => first('mediaAttached'));
        player.on(events.LEVEL_LOADING, (event, data) => first('levelLoading', { level: data.level,
            blocking: !!(data.deliveryDirectives && data.deliveryDirectives.msn !== undefined) }));
        player.on(events.LEVEL_LOADED, (event, data) =>
        {
            const details = data.details;
            const lastFrag = details.fragments.length ? details.fragments[details.fragments.length - 1] : null;
            first('levelLoaded', { level: data.level, live: details.live, endSn: details.endSN,
                parts: details.partList ? details.partList.length : 0, edge: round3(details.edge),
                lastSegmentStart: lastFrag ? round3(lastFrag.start) : null,
                partHoldBack: details.partHoldBack,
                liveSyncPosition: round3(player.liveSyncPosition), targetLatency: round3(player.targetLatency),
                blocking: !!(data.deliveryDirectives && data.deliveryDirectives.msn !== undefined),
                ms: data.stats ? Math.round(data.stats.loading.end - data.stats.loading.start) : null });
        });
        player.on(events.AUDIO_TRACK_LOADING, () => first('audioTrackLoading'));
        player.on(events.AUDIO_TRACK_LOADED, () => first('audioTrackLoaded'));
        player.on(events.FRAG_LOADING, (event, data) => mark('fragLoading', fragDetail(data), true));
        player.on(events.FRAG_LOADED, (event, data) => mark('fragLoaded', Object.assign(fragDetail(data),
            { bytes: data.frag.stats ? data.frag.stats.loaded : null }), true));
        player.on(events.BUFFER_CREATED, () => first('bufferCreated'));
        player.on(events.BUFFER_APPENDED, (event, data) => mark('bufferAppended', Object.assign(fragDetail(data),
            { sourceBuffer: data.type }), true));
        for (const name of ['loadedmetadata', 'loadeddata', 'canplay', 'play', 'playing'])
        {
            video.addEventListener(name, () => first(name, name === 'playing' ?
                { currentTime: round3(video.currentTime), latency: live ? round3(player.latency) : null } : undefined));
        }
    }

    let hls = null;
    let liveTargetS = null;
    if (typeof Hls !== 'undefined' && Hls.isSupported())
    {
        const Controller = BifrostSeedAbr.createHlsAbrController(Hls, {
            config: live ? { bufferScale: LIVE_SCALE_PER_LATENCY_S * ASSUMED_LIVE_LATENCY_S } : {},
            onDecision: decision =>
            {
                text('s-abr', decision.reason + ' -> ' + decision.level);
                if (QUIET_DECISIONS.has(decision.reason))
                {
                    return;
                }
                decisions.push({ atMs: Math.round(performance.now() - t0), level: decision.level,
                    target: decision.target, reason: decision.reason });
                if (decisions.length > 100)
                {
                    decisions.shift();
                }
            }
        });
        hls = new Hls({
            // #debug=1: hls.js logs every step to the console (a slow start read line by line).
            debug: fragmentNumber('debug', 0, 0, 1) === 1,
            abrController: Controller,
            // Startup (bifrostPlayer.timeline shows both): hls.js's worker is a second copy of hls.js, compiled in a
            // fresh thread before it can hand back the first fragment, once per transmuxer (video and the separate
            // audio rendition), and live audio is not even requested until the video's first part has been through
            // it (hls.js waits for the video's initPTS). Bifrost serves fMP4, which hls.js passes through without
            // transmuxing, so the worker buys nothing: on the page's thread the first part is ready as it arrives.
            enableWorker: false,
            // Request the init segment and the first fragment/part as soon as the first playlist is in, not after
            // the MediaSource has opened (MEDIA_ATTACHED), which on a busy machine came 0.4-0.7 s after it.
            startFragPrefetch: true,
            startLevel: 0,
            testBandwidth: false,
            lowLatencyMode: live,
            // Live: play up to 1.5x while behind hls.js's latency target (PART-HOLD-BACK in low-latency mode), as
            // hls.js's own demo page does. hls.js leaves it at 1, so the seconds a join takes to start playing (the
            // playhead waits at the live sync position while the first parts load) stay as latency for good: 4.7 s
            // against 1.3 s for hls.js's page on the same edge.
            maxLiveSyncPlaybackRate: live ? 1.5 : 1,
            // The seed's SegmentConfig: 30 s target buffer, 60 s at most (hls.js would otherwise buffer up to
            // maxBufferSize, 60 MB, which at a low bitrate is the whole title before the ABR could ever upgrade).
            maxBufferLength: bufferGoalS,
            maxMaxBufferLength: bufferGoalS === 30 ? 60 : bufferGoalS,
            xhrSetup: query ? (xhr, url) => xhr.open('GET', withQuery(url), true) : undefined
        });
        if (live)
        {
            hls.on(Hls.Events.LEVEL_UPDATED, () =>
            {
                const target = hls.targetLatency;
                if (target > 0 && Number.isFinite(target) && target !== liveTargetS && hls.abrController &&
                    typeof hls.abrController.setBufferScale === 'function')
                {
                    liveTargetS = target;
                    hls.abrController.setBufferScale(LIVE_SCALE_PER_LATENCY_S * target);
                }
            });
        }
        recordStartup(hls);
        hls.on(Hls.Events.LEVEL_SWITCHED, (event, data) =>
        {
            const to = data.level;
            if (currentLevel >= 0 && to !== currentLevel)
            {
                const up = levelBitrate(to) > levelBitrate(currentLevel);
                if (up)
                {
                    qoe.switchesUp++;
                }
                else
                {
                    qoe.switchesDown++;
                }
                levelSwitches.push({ atMs: Math.round(performance.now() - t0), from: currentLevel, to: to,
                    bitrateBps: levelBitrate(to) });
            }
            currentLevel = to;
            qoe.bitrateBps = levelBitrate(to);
        });
        hls.on(Hls.Events.ERROR, (event, data) =>
        {
            if (!data.fatal)
            {
                return;
            }
            qoe.fatalErrors++;
            if (data.type === Hls.ErrorTypes.NETWORK_ERROR && qoe.fatalErrors < 5)
            {
                hls.startLoad();
            }
            else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && qoe.fatalErrors < 5)
            {
                hls.recoverMediaError();
            }
            else
            {
                showError('playback failed: ' + data.details);
                hls.destroy();
            }
        });
        hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() =>
        {
            // Autoplay refused (no user gesture): the controls start it.
        }));
        mark('loadSource', { audioWarmup: audioWarmup !== null });
        hls.loadSource(manifestUrl);
        hls.attachMedia(video);
    }
    else if (video.canPlayType('application/vnd.apple.mpegurl'))
    {
        // Safari and iOS play HLS themselves (their own ABR); QoE is still reported.
        video.src = manifestUrl;
        video.play().catch(() =>
        {
            // Autoplay refused (no user gesture): the controls start it.
        });
    }
    else
    {
        showError('this browser has neither Media Source Extensions nor native HLS');
    }

    /** The AudioContext made at the start to start the browser's audio output early: no longer needed. */
    function closeAudioWarmup()
    {
        const context = audioWarmup;
        audioWarmup = null;
        if (context && typeof context.close === 'function')
        {
            context.close().catch(() =>
            {
                // Already closed.
            });
        }
    }

    // Autoplay refused or the stream never starts: do not hold the audio output for the page's lifetime.
    setTimeout(closeAudioWarmup, AUDIO_WARMUP_MS);
    video.addEventListener('playing', () =>
    {
        closeAudioWarmup();
        const nowMs = performance.now();
        if (qoe.startupMs === null)
        {
            qoe.startupMs = Math.round(nowMs - t0);
        }
        if (stallStartMs !== null)
        {
            qoe.rebufferMs += nowMs - stallStartMs;
            stallStartMs = null;
        }
        qoe.state = 'playing';
    });
    video.addEventListener('waiting', () =>
    {
        // A stall after startup that no seek caused.
        if (qoe.startupMs !== null && !video.seeking && stallStartMs === null)
        {
            stallStartMs = performance.now();
            qoe.rebufferCount++;
            qoe.state = 'stalled';
        }
    });
    video.addEventListener('pause', () =>
    {
        if (qoe.state !== 'error')
        {
            qoe.state = 'paused';
        }
    });
    video.addEventListener('ended', () =>
    {
        qoe.state = 'ended';
        flush(true);
    });

    function tick()
    {
        const nowMs = performance.now();
        if (lastTickMs !== null && qoe.state === 'playing' && !video.paused && stallStartMs === null)
        {
            const dt = nowMs - lastTickMs;
            qoe.playedMs += dt;
            bitsPlayed += qoe.bitrateBps * dt / 1000;
            qoe.meanBitrateBps = qoe.playedMs > 0 ? Math.round(bitsPlayed / qoe.playedMs * 1000) : 0;
        }
        lastTickMs = nowMs;
        qoe.bufferS = BifrostSeedAbr.bufferedAhead(video.buffered, video.currentTime);
        qoe.estimateBps = hls && hls.bandwidthEstimate > 0 ? Math.round(hls.bandwidthEstimate) : null;
        text('s-stream', (live ? 'live ' : 'vod ') + contentId);
        text('s-state', qoe.state);
        text('s-startup', qoe.startupMs === null ? '-' : qoe.startupMs + ' ms');
        text('s-level', currentLevel < 0 ? '-' : String(currentLevel));
        text('s-bitrate', mbps(qoe.bitrateBps));
        text('s-estimate', mbps(qoe.estimateBps));
        text('s-buffer', qoe.bufferS.toFixed(1) + ' s');
        text('s-rebuffers', qoe.rebufferCount + ' (' + (qoe.rebufferMs / 1000).toFixed(1) + ' s)');
        text('s-switches', qoe.switchesUp + ' up, ' + qoe.switchesDown + ' down');
    }

    /** The deltas since the last beacon, or null when there is nothing new. */
    function nextBeacon()
    {
        const stalledNowMs = stallStartMs === null ? 0 : performance.now() - stallStartMs;
        const rebufferMs = qoe.rebufferMs + stalledNowMs;
        const beacon = {
            v: 1, id: contentId, kind: live ? 'live' : 'vod', session: session, seq: sequence,
            rebuffers: qoe.rebufferCount - reported.rebufferCount,
            rebufferMs: Math.max(0, Math.round(rebufferMs - reported.rebufferMs)),
            switchesUp: qoe.switchesUp - reported.switchesUp,
            switchesDown: qoe.switchesDown - reported.switchesDown,
            playedMs: Math.max(0, Math.round(qoe.playedMs - reported.playedMs)),
            bitrateBps: 0
        };
        if (beacon.playedMs > 0)
        {
            beacon.bitrateBps = Math.round((bitsPlayed - reported.bitsPlayed) / (qoe.playedMs - reported.playedMs) * 1000);
        }
        const withStartup = qoe.startupMs !== null && !startupReported;
        if (withStartup)
        {
            beacon.startupMs = qoe.startupMs;
        }
        if (!withStartup && beacon.rebuffers === 0 && beacon.rebufferMs === 0 && beacon.switchesUp === 0 &&
            beacon.switchesDown === 0 && beacon.playedMs === 0)
        {
            return null;
        }
        sequence++;
        startupReported = startupReported || withStartup;
        reported.rebufferCount = qoe.rebufferCount;
        reported.rebufferMs = rebufferMs;
        reported.switchesUp = qoe.switchesUp;
        reported.switchesDown = qoe.switchesDown;
        reported.playedMs = qoe.playedMs;
        reported.bitsPlayed = bitsPlayed;
        return beacon;
    }

    /**
     * Send the deltas since the last beacon. leaving: the page is going away, so navigator.sendBeacon is used (the
     * browser delivers it after the page is gone); otherwise fetch, so the answer is known.
     */
    function flush(leaving)
    {
        tick();
        const beacon = nextBeacon();
        if (beacon === null)
        {
            return Promise.resolve(0);
        }
        const body = JSON.stringify(beacon);
        if (leaving && navigator.sendBeacon)
        {
            const queued = navigator.sendBeacon(BEACON_URL, body);
            qoe[queued ? 'beaconsSent' : 'beaconsFailed']++;
            return Promise.resolve(queued ? 204 : 0);
        }
        return fetch(BEACON_URL, { method: 'POST', body: body, keepalive: true,
            headers: { 'Content-Type': 'text/plain;charset=UTF-8' } })
            .then(response =>
            {
                qoe[response.ok ? 'beaconsSent' : 'beaconsFailed']++;
                return response.status;
            })
            .catch(() =>
            {
                qoe.beaconsFailed++;
                return 0;
            });
    }

    setInterval(tick, TICK_MS);
    setInterval(() => flush(false), BEACON_INTERVAL_MS);
    document.addEventListener('visibilitychange', () =>
    {
        if (document.visibilityState === 'hidden')
        {
            flush(true);
        }
    });
    window.addEventListener('pagehide', () => flush(true));

    window.bifrostPlayer = {
        hls: hls,
        video: video,
        contentId: contentId,
        live: live,
        manifestUrl: manifestUrl,
        hlsJsVersion: typeof Hls !== 'undefined' ? Hls.version : null,
        scriptStartMs: t0,
        bufferGoalS: bufferGoalS,
        qoe: qoe,
        levelSwitches: levelSwitches,
        decisions: decisions,
        timeline: timeline,
        flush: () => flush(false)
    };
}());
