// The page side of the browser suite: starts one player (hls.js, dash.js or Shaka) on a <video> element and answers
// snapshots of what it is doing in one player-neutral shape, so play.mjs can drive every player the same way.
// Loaded by player.html after the player library; everything lives under window.bifrost.
(function ()
{
    'use strict';

    const started = performance.now();
    const state = {
        player: null,
        version: null,
        errors: [],
        events: [],
        levelOf: () => null,
        levelsOf: () => [],
        latencyOf: () => null,
        estimateOf: () => null,
        instance: null,
        startMs: null,
        firstPlayingMs: null,
    };

    function now()
    {
        return Math.round(performance.now() - started);
    }

    function error(fatal, text)
    {
        state.errors.push({ at: now(), fatal: !!fatal, text: String(text).slice(0, 500) });
    }

    function event(name, detail)
    {
        if (state.events.length < 400)
        {
            state.events.push({ at: now(), name: name, detail: detail === undefined ? null : detail });
        }
    }

    function level(height, bitrate, index)
    {
        return { index: index, height: height || 0, bitrate: Math.round(bitrate || 0) };
    }

    function startHls(video, config)
    {
        const hls = new Hls({
            debug: false,
            enableWorker: true,
            lowLatencyMode: !!config.live,
            // Live: catch up with the live edge by playing up to 1.5x after a stall (hls.js leaves this off).
            maxLiveSyncPlaybackRate: config.live ? 1.5 : 1,
            maxBufferLength: config.bufferSeconds,
            maxMaxBufferLength: config.bufferSeconds,
            abrEwmaDefaultEstimate: config.startTop ? 50e6 : 5e5,
            renderTextTracksNatively: true,
            subtitleDisplay: !!config.subtitles,
            subtitlePreference: config.subtitles ? { lang: 'en' } : undefined,
        });
        state.version = Hls.version;
        hls.on(Hls.Events.MANIFEST_PARSED, (name, data) =>
        {
            event('manifestParsed', { levels: data.levels.length, subtitles: hls.subtitleTracks.length });
            if (config.startTop)
            {
                hls.startLevel = data.levels.length - 1;
            }
        });
        hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, (name, data) =>
        {
            event('subtitleTracks', data.subtitleTracks.map((track) => track.lang));
        });
        hls.on(Hls.Events.MEDIA_ATTACHED, () => event('mediaAttached'));
        hls.on(Hls.Events.SUBTITLE_TRACK_LOADED, (name, data) => event('subtitleTrackLoaded', data.id));
        hls.on(Hls.Events.MANIFEST_LOADED, () => event('manifestLoaded'));
        hls.on(Hls.Events.FRAG_LOADED, (name, data) =>
        {
            if (data.frag.sn === 0 || data.frag.sn === 'initSegment')
            {
                event('fragLoaded', { type: data.frag.type, level: data.frag.level, sn: data.frag.sn });
            }
        });
        hls.on(Hls.Events.LEVEL_SWITCHED, (name, data) =>
        {
            const switched = hls.levels[data.level];
            event('levelSwitched', { level: data.level, height: switched.height, bitrate: switched.bitrate });
        });
        hls.on(Hls.Events.FRAG_LOAD_EMERGENCY_ABORTED, () => event('emergencyAbort'));
        hls.on(Hls.Events.ERROR, (name, data) =>
        {
            error(data.fatal, data.type + '/' + data.details + (data.reason ? ': ' + data.reason : '') +
                (data.error ? ': ' + data.error.message : ''));
        });
        hls.loadSource(config.url);
        hls.attachMedia(video);
        state.instance = hls;
        state.levelsOf = () => hls.levels.map((l, i) => level(l.height, l.bitrate, i));
        state.levelOf = () =>
        {
            const index = hls.currentLevel;
            return index >= 0 && hls.levels[index] ? level(hls.levels[index].height, hls.levels[index].bitrate, index) :
                null;
        };
        state.estimateOf = () => Math.round(hls.bandwidthEstimate);
        state.latencyOf = () => config.live ? { latency: hls.latency, target: hls.targetLatency,
            drift: hls.drift, edgeStall: null } : null;
    }

    function startDash(video, config)
    {
        const player = dashjs.MediaPlayer().create();
        state.version = player.getVersion();
        player.updateSettings({
            debug: { logLevel: dashjs.Debug.LOG_LEVEL_WARNING },
            streaming: {
                buffer: {
                    bufferTimeAtTopQuality: config.bufferSeconds,
                    bufferTimeAtTopQualityLongForm: config.bufferSeconds,
                    bufferTimeDefault: config.bufferSeconds,
                },
                abr: {
                    autoSwitchBitrate: { video: true },
                    initialBitrate: { video: config.startTop ? 100000 : -1 },
                },
                text: { defaultEnabled: !!config.subtitles },
                // Live: dash.js's low-latency catch-up towards the MPD's ServiceDescription target latency, at most
                // 1.5x (as hls.js's maxLiveSyncPlaybackRate above); null (VOD) is dash.js's default.
                liveCatchup: { enabled: config.live ? true : null, playbackRate: { min: -0.5, max: 0.5 } },
            },
        });
        const events = dashjs.MediaPlayer.events;
        player.initialize(video, null, true);
        if (config.subtitles)
        {
            player.setInitialMediaSettingsFor('text', { lang: 'en' });
        }
        player.on(events.TEXT_TRACKS_ADDED, (e) =>
        {
            event('subtitleTracks', (e.tracks || []).map((track) => track.lang));
            if (config.subtitles && e.tracks && e.tracks.length > 0)
            {
                player.enableText(true);
                player.setTextTrack(0);
            }
        });
        player.on(events.QUALITY_CHANGE_RENDERED, (e) =>
        {
            if (e.mediaType === 'video' && e.newRepresentation)
            {
                event('levelSwitched', { level: e.newRepresentation.absoluteIndex,
                    height: e.newRepresentation.height, bitrate: e.newRepresentation.bandwidth });
            }
        });
        player.on(events.FRAGMENT_LOADING_ABANDONED, (e) => event('emergencyAbort', e.mediaType));
        player.on(events.ERROR, (e) =>
        {
            const detail = e.error ? (e.error.code + ': ' + e.error.message) : JSON.stringify(e).slice(0, 300);
            error(true, 'dash error ' + detail);
        });
        player.on(events.PLAYBACK_ERROR, (e) => error(true, 'dash playback error ' + (e.error ? e.error.message : '')));
        // DRM (H6): ClearKey through EME, from a licence server or from keys given in the config.
        if (config.drm)
        {
            player.setProtectionData({ 'org.w3.clearkey': config.drm.licenseUrl ?
                { serverURL: config.drm.licenseUrl } : { clearkeys: config.drm.clearKeysBase64Url } });
        }
        player.attachSource(config.url);
        state.instance = player;
        const representations = () =>
        {
            try
            {
                return player.getRepresentationsByType('video') || [];
            }
            catch (e)
            {
                return [];
            }
        };
        state.levelsOf = () => representations().map((r) => level(r.height, r.bandwidth, r.absoluteIndex));
        state.levelOf = () =>
        {
            const current = player.getCurrentRepresentationForType('video');
            return current ? level(current.height, current.bandwidth, current.absoluteIndex) : null;
        };
        state.estimateOf = () => Math.round(player.getAverageThroughput('video') * 1000);
        // lowLatency: dash.js's own low-latency mode, which it turns on from the MPD (availabilityTimeComplete="false"):
        // segments fetched as they stream in, chunk by chunk, from the edge (LL-DASH).
        state.latencyOf = () => config.live ? { latency: player.getCurrentLiveLatency(),
            target: player.getTargetLiveDelay(), drift: null, lowLatency: player.getLowLatencyModeEnabled() } : null;
    }

    async function startShaka(video, config)
    {
        shaka.polyfill.installAll(); 
        if (!shaka.Player.isBrowserSupported())
        {
            error(true, 'shaka: browser not supported');
            return;
        }
        const player = new shaka.Player();
        state.version = shaka.Player.version;
        state.instance = player;
        player.configure({
            preferredText: config.subtitles ? [{ language: 'en' }] : [],
            textDisplayFactory: (owner) => new shaka.text.NativeTextDisplayer(owner),
            abr: {
                enabled: true,
                defaultBandwidthEstimate: config.startTop ? 50e6 : 5e5,
                useNetworkInformation: false,
                // Bandwidth drives the switches under test: a loaded CI box's software decoder drops frames at 720p,
                // and Shaka would ban that rung for it (hls.js and dash.js leave their dropped-frame rules off too).
                droppedFrames: false,
                switchInterval: 1,
                minTimeToSwitch: 0,
            },
            streaming: {
                bufferingGoal: config.bufferSeconds,
                rebufferingGoal: 1,
                // No prefetch: a prefetched top-rung segment would still be fetched after the ABR chose lower.
                segmentPrefetchLimit: 0,
                lowLatencyMode: !!config.live,
            },
            // Live HLS in sequence mode: in segments mode Shaka 5.2.12 (and earlier) reads back the timestampOffset
            // it wrote with its Edge workaround (+0.001 on a negative offset, so on any live stream whose media time
            // is past the window start), compares it with the next append's own offset against a 0.001 threshold
            // and, when float noise tips it over, calls abort() before every append. MSE then drops each part not
            // cut on a keyframe: only the first part of every LL-HLS segment stays buffered, and Shaka stalls and
            // jumps the gap at each segment boundary. shaka-player issues #10589 / PR #10559 (fixed after 5.2.12).
            manifest: { hls: { sequenceMode: !!config.live } },
        });
        // DRM (H6): ClearKey through EME, from a licence server or from keys given in the config (hex).
        if (config.drm)
        {
            player.configure(config.drm.licenseUrl ? { drm: { servers: { 'org.w3.clearkey': config.drm.licenseUrl } } }
                : { drm: { clearKeys: config.drm.clearKeysHex } });
        }
        player.addEventListener('error', (e) =>
        {
            const detail = e.detail || {};
            error(detail.severity === shaka.util.Error.Severity.CRITICAL,
                'shaka error ' + detail.code + ' category ' + detail.category + ' ' + JSON.stringify(detail.data || [])
                    .slice(0, 300));
        });
        player.addEventListener('adaptation', (e) =>
        {
            const track = e.newTrack || {};
            event('levelSwitched', { level: track.id, height: track.height, bitrate: track.bandwidth });
        });
        const videoTracks = () => player.getVideoTracks().slice().sort((a, b) => a.bandwidth - b.bandwidth);
        state.levelsOf = () => videoTracks().map((track, i) => level(track.height, track.bandwidth, i));
        state.levelOf = () =>
        {
            const tracks = videoTracks();
            const index = tracks.findIndex((track) => track.active);
            return index >= 0 ? level(tracks[index].height, tracks[index].bandwidth, index) : null;
        };
        state.estimateOf = () => Math.round(player.getStats().estimatedBandwidth);
        state.latencyOf = () =>
        {
            if (!config.live)
            {
                return null;
            }
            const stats = player.getStats();
            return { latency: stats.liveLatency, target: null, drift: null };
        };
        await player.attach(video);
        try
        {
            await player.load(config.url);
        }
        catch (e)
        {
            error(true, 'shaka load failed ' + e.code + ' ' + JSON.stringify(e.data || []).slice(0, 300));
            return;
        }
        event('loaded', { textTracks: player.getTextTracks().map((track) => track.language) });
        if (config.subtitles)
        {
            const text = player.getTextTracks();
            if (text.length > 0 && !text.some((track) => track.active))
            {
                player.selectTextTrack(text[0]);
            }
        }
        video.play().catch((e) => error(false, 'play() refused: ' + e.message));
    }

    window.bifrost = {
        /** Which codec strings this browser's MSE accepts, e.g. {"avc1.64001f": true}. */
        mseSupport(codecs)
        {
            const answer = {};
            for (const codec of codecs)
            {
                const type = (codec.startsWith('mp4a') || codec.startsWith('opus') || codec.startsWith('ac-3') ?
                    'audio/mp4' : 'video/mp4') + '; codecs="' + codec + '"';
                answer[codec] = typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(type);
            }
            return answer;
        },

        /** Start config.player on config.url; the promise settles once the player is set up, not when playing. */
        async start(config)
        {
            state.startMs = now();
            const video = document.getElementById('video');
            video.muted = true;
            video.autoplay = true;
            video.addEventListener('playing', () =>
            {
                if (state.firstPlayingMs === null)
                {
                    state.firstPlayingMs = now();
                }
                event('playing');
            });
            video.addEventListener('waiting', () => event('waiting'));
            video.addEventListener('ended', () => event('ended'));
            video.addEventListener('error', () => error(true, 'video element error ' +
                (video.error ? video.error.code + ' ' + video.error.message : '')));
            state.player = config.player;
            if (config.player === 'hls.js')
            {
                if (!Hls.isSupported())
                {
                    error(true, 'hls.js: Hls.isSupported() is false (no MSE)');
                    return;
                }
                startHls(video, config);
            }
            else if (config.player === 'dash.js')
            {
                startDash(video, config);
            }
            else if (config.player === 'shaka')
            {
                await startShaka(video, config);
            }
            else
            {
                error(true, 'unknown player ' + config.player);
            }
        },

        /** Everything the driver samples, in one serialisable object. */
        snapshot()
        {
            const video = document.getElementById('video');
            const buffered = [];
            for (let i = 0; i < video.buffered.length; i++)
            {
                buffered.push([video.buffered.start(i), video.buffered.end(i)]);
            }
            const textTracks = [];
            for (const track of video.textTracks)
            {
                const cues = track.cues ? Array.from(track.cues) : [];
                textTracks.push({ kind: track.kind, label: track.label, language: track.language, mode: track.mode,
                    cues: cues.length, firstCues: cues.slice(0, 3).map((cue) => ({ start: cue.startTime,
                        end: cue.endTime, text: cue.text })) });
            }
            let levels = [];
            let current = null;
            let latency = null;
            let estimate = null;
            try
            {
                estimate = state.estimateOf();
                levels = state.levelsOf();
                current = state.levelOf();
                latency = state.latencyOf();
            }
            catch (e)
            {
                error(false, 'snapshot: ' + e.message);
            }
            const quality = video.getVideoPlaybackQuality ? video.getVideoPlaybackQuality() : null;
            return {
                at: now(),
                player: state.player,
                version: state.version,
                currentTime: video.currentTime,
                paused: video.paused,
                ended: video.ended,
                readyState: video.readyState,
                videoWidth: video.videoWidth,
                videoHeight: video.videoHeight,
                buffered: buffered,
                level: current,
                levels: levels,
                latency: latency,
                bandwidthEstimate: estimate,
                // Startup: from asking the player to play the URL to the video's first 'playing' event.
                firstPlayingMs: state.firstPlayingMs === null ? null : state.firstPlayingMs - state.startMs,
                totalFrames: quality ? quality.totalVideoFrames : null,
                droppedFrames: quality ? quality.droppedVideoFrames : null,
                textTracks: textTracks,
                errors: state.errors,
                events: state.events,
            };
        },
    };
})();
