'use strict';
/*
 * A model of hls.js's default ABR (AbrController + EwmaBandWidthEstimator of hls.js 1.7.4) for the simulator in sim.js.
 * Ported from node_modules/hls.js/src (npm install in perf/abr):
 *   src/utils/ewma.ts                      EWMA with a half-life in seconds of download time, zero-bias corrected
 *   src/utils/ewma-bandwidth-estimator.ts  min(fast, slow) EWMA of download throughput, weight = download seconds
 *                                          (at least 50 ms), TTFB EWMA with the slow half-life
 *   src/controller/abr-controller.ts       firstAutoLevel, getNextABRAutoLevel, findBestLevel, _abandonRulesCheck,
 *                                          onFragLoaded (TTFB sample), onFragBuffered (bandwidth sample)
 *   src/config.ts                          the defaults: abrEwmaFastVoD 3, abrEwmaSlowVoD 9, abrEwmaFastLive 3,
 *                                          abrEwmaSlowLive 9, abrEwmaDefaultEstimate 5e5, abrBandWidthFactor 0.95,
 *                                          abrBandWidthUpFactor 0.7, maxStarvationDelay 4, maxLoadingDelay 4
 * The config is read from the installed hls.js (Hls.DefaultConfig) when it loads, else these cited numbers are used.
 *
 * Left out, because the simulated stream cannot trigger them: codec tiers / media capabilities (one codec, SDR),
 * level load errors and penalties, the live-edge exception in findBestLevel (the evaluation is VOD), playback rates
 * other than 1.
 */

const CITED_DEFAULTS = Object.freeze({
    abrEwmaFastVoD: 3,
    abrEwmaSlowVoD: 9,
    abrEwmaDefaultEstimate: 5e5,
    abrBandWidthFactor: 0.95,
    abrBandWidthUpFactor: 0.7,
    maxStarvationDelay: 4,
    maxLoadingDelay: 4,
    maxBufferLength: 30
});

/** hls.js's defaults from the installed package, or the cited ones. */
function hlsJsDefaults()
{
    try
    {
        if (typeof global.self === 'undefined')
        {
            global.self = global;
        }
        const Hls = require('hls.js');
        const config = Hls.DefaultConfig;
        const picked = {};
        for (const key of Object.keys(CITED_DEFAULTS))
        {
            picked[key] = config[key];
        }
        return { source: 'hls.js ' + Hls.version + ' DefaultConfig', config: Object.freeze(picked) };
    }
    catch (e)
    {
        return { source: 'cited hls.js 1.7.4 defaults (hls.js not installed)', config: CITED_DEFAULTS };
    }
}

/** src/utils/ewma.ts */
class Ewma
{
    constructor(halfLife, estimate, weight)
    {
        this.halfLife = halfLife;
        this.alpha = halfLife ? Math.exp(Math.log(0.5) / halfLife) : 0;
        this.estimate = estimate || 0;
        this.totalWeight = weight || 0;
    }

    sample(weight, value)
    {
        const adjAlpha = Math.pow(this.alpha, weight);
        this.estimate = value * (1 - adjAlpha) + adjAlpha * this.estimate;
        this.totalWeight += weight;
    }

    getEstimate()
    {
        if (this.alpha)
        {
            const zeroFactor = 1 - Math.pow(this.alpha, this.totalWeight);
            if (zeroFactor)
            {
                return this.estimate / zeroFactor;
            }
        }
        return this.estimate;
    }
}

/** src/utils/ewma-bandwidth-estimator.ts */
class EwmaBandWidthEstimator
{
    constructor(slow, fast, defaultEstimate, defaultTTFB)
    {
        this.defaultEstimate = defaultEstimate;
        this.minWeight = 0.001;
        this.minDelayMs = 50;
        this.slow = new Ewma(slow);
        this.fast = new Ewma(fast);
        this.defaultTTFB = defaultTTFB || 100;
        this.ttfb = new Ewma(slow);
    }

    sample(durationMs, numBytes)
    {
        if (numBytes <= 0)
        {
            return;
        }
        const minDelay = Math.min(this.minDelayMs, numBytes / 100000);
        const durationS = Math.max(durationMs, minDelay) / 1000;
        const bandwidthInBps = 8 * numBytes / durationS;
        this.fast.sample(durationS, bandwidthInBps);
        this.slow.sample(durationS, bandwidthInBps);
    }

    sampleTTFB(ttfb)
    {
        const seconds = ttfb / 1000;
        const weight = Math.sqrt(2) * Math.exp(-Math.pow(seconds, 2) / 2);
        this.ttfb.sample(weight, Math.max(ttfb, 5));
    }

    canEstimate()
    {
        return this.fast.totalWeight >= this.minWeight;
    }

    getEstimate()
    {
        return this.canEstimate() ? Math.min(this.fast.getEstimate(), this.slow.getEstimate()) : this.defaultEstimate;
    }

    getEstimateTTFB()
    {
        return this.ttfb.totalWeight >= this.minWeight ? this.ttfb.getEstimate() : this.defaultTTFB;
    }
}

/**
 * The default controller's decisions for one VOD session. levels: [{maxBitrate, averageBitrate}] ascending.
 */
class HlsDefaultAbrModel
{
    constructor(levels, segmentS, config)
    {
        this.levels = levels;
        this.segmentS = segmentS;
        this.config = config || hlsJsDefaults().config;
        this.name = 'hls.js default';
        this.estimator = this.newEstimator(this.config.abrEwmaDefaultEstimate);
        this.lastLoadedFragLevel = -1;
        this.firstSelection = -1;
        this.loadLevel = -1;
        this.forced = -1;
        this.detailsLoaded = new Set();
        this.lastLevelLoadSec = 0;
    }

    newEstimator(defaultEstimate)
    {
        return new EwmaBandWidthEstimator(this.config.abrEwmaSlowVoD, this.config.abrEwmaFastVoD, defaultEstimate);
    }

    estimateBps()
    {
        return this.estimator.getEstimate();
    }

    /** The level of the next fragment request (hls.nextAutoLevel as the stream controller reads it). */
    nextLevel(view)
    {
        let level;
        if (this.forced !== -1)
        {
            level = this.forced;
            this.forced = -1;
        }
        else if (this.estimator.canEstimate() && this.lastLoadedFragLevel > -1)
        {
            level = this.nextABRAutoLevel(view.bufferS);
        }
        else
        {
            level = this.firstAutoLevel(view.bufferS);
        }
        this.loadLevel = level;
        return level;
    }

    firstAutoLevel(bufferS)
    {
        const level = this.findBestLevel(this.estimator.getEstimate(), 0, this.levels.length - 1, bufferS / 2,
            this.config.maxStarvationDelay, 1, 1);
        // Not found: the first level of the manifest (Bifrost lists the lowest first).
        return level > -1 ? level : 0;
    }

    nextABRAutoLevel(bufferS)
    {
        const avgbw = this.estimator.getEstimate();
        const max = this.levels.length - 1;
        if (bufferS)
        {
            const best = this.findBestLevel(avgbw, 0, max, bufferS, 0, this.config.abrBandWidthFactor,
                this.config.abrBandWidthUpFactor);
            if (best >= 0)
            {
                return best;
            }
        }
        const maxStarvationDelay = Math.min(this.segmentS, this.config.maxStarvationDelay);
        const best = this.findBestLevel(avgbw, 0, max, bufferS, maxStarvationDelay, this.config.abrBandWidthFactor,
            this.config.abrBandWidthUpFactor);
        if (best > -1)
        {
            return best;
        }
        return this.loadLevel > 0 ? 0 : Math.max(this.loadLevel, 0);
    }

    findBestLevel(currentBw, minAutoLevel, maxAutoLevel, bufferStarvationDelay, maxStarvationDelay, bwFactor, bwUpFactor)
    {
        const maxFetchDuration = bufferStarvationDelay + maxStarvationDelay;
        const selectionBaseLevel = this.lastLoadedFragLevel === -1 ? 0 : this.lastLoadedFragLevel;
        const firstSelection = this.loadLevel === -1 || this.lastLoadedFragLevel === -1;
        if (firstSelection)
        {
            if (this.firstSelection !== -1)
            {
                return this.firstSelection;
            }
            // getStartCodecTier: the tier's lowest bitrate is a floor for the first choice.
            currentBw = Math.max(currentBw, this.levels[minAutoLevel].maxBitrate);
        }
        const ttfbEstimateSec = this.estimator.getEstimateTTFB() / 1000;
        for (let i = maxAutoLevel; i >= minAutoLevel; i--)
        {
            const level = this.levels[i];
            const upSwitch = i > selectionBaseLevel;
            const adjustedbw = (upSwitch ? bwUpFactor : bwFactor) * currentBw;
            const bitrate = this.segmentS && bufferStarvationDelay >= this.segmentS * 2 && maxStarvationDelay === 0 ?
                level.averageBitrate : level.maxBitrate;
            const requiresLevelLoad = !this.detailsLoaded.has(i);
            const fetchDuration = ttfbEstimateSec + bitrate * this.segmentS / adjustedbw +
                (requiresLevelLoad ? ttfbEstimateSec + this.lastLevelLoadSec : 0);
            if (adjustedbw >= bitrate &&
                (fetchDuration <= ttfbEstimateSec || !Number.isFinite(fetchDuration) || fetchDuration < maxFetchDuration))
            {
                if (firstSelection)
                {
                    this.firstSelection = i;
                }
                return i;
            }
        }
        return -1;
    }

    /** onFragLoaded (TTFB sample) then onFragBuffered (bandwidth sample), as hls.js runs them for a main fragment. */
    onFragLoaded(done)
    {
        this.detailsLoaded.add(done.level);
        const ttfb = done.firstByteMs - done.loadStartMs;
        this.estimator.sampleTTFB(ttfb);
        this.firstSelection = -1;
        this.lastLoadedFragLevel = done.level;
        const processingMs = done.endMs - done.loadStartMs - Math.min(ttfb, this.estimator.getEstimateTTFB());
        this.estimator.sample(processingMs, done.bytes);
    }

    /**
     * _abandonRulesCheck, run every 100 ms while a fragment loads. Returns {level, atMs} when the load is to be
     * abandoned for a lower level at atMs (now, or after the timer hls.js arms), else null.
     */
    checkAbandon(loading)
    {
        const { nowMs, level: fragLevel, loaded, expectedBytes, loadStartMs, firstByteMs, bufferS } = loading;
        const minAutoLevel = 0;
        if (loaded >= expectedBytes || fragLevel <= minAutoLevel)
        {
            return null;
        }
        const duration = this.segmentS;
        const timeLoading = nowMs - loadStartMs;
        const ttfbEstimate = this.estimator.getEstimateTTFB();
        if (timeLoading <= Math.max(ttfbEstimate, 1000 * (duration / 2)))
        {
            return null;
        }
        const bufferStarvationDelay = bufferS;
        const ttfb = firstByteMs !== null ? firstByteMs - loadStartMs : -1;
        const loadedFirstByte = loaded > 0 && ttfb > -1;
        const bwEstimate = this.estimator.getEstimate();
        const expectedLen = Math.max(loaded, expectedBytes);
        let timeStreaming = loadedFirstByte ? timeLoading - ttfb : timeLoading;
        if (timeStreaming < 1 && loadedFirstByte)
        {
            timeStreaming = Math.min(timeLoading, loaded * 8 / bwEstimate);
        }
        const loadRate = loadedFirstByte ? loaded * 1000 / timeStreaming : 0;
        const ttfbSeconds = ttfbEstimate / 1000;
        const fragLoadedDelay = loadRate ? (expectedLen - loaded) / loadRate : expectedLen * 8 / bwEstimate + ttfbSeconds;
        if (fragLoadedDelay <= bufferStarvationDelay)
        {
            return null;
        }
        const bwe = loadRate ? loadRate * 8 : bwEstimate;
        let fragLevelNextLoadedDelay = Number.POSITIVE_INFINITY;
        let nextLoadLevel;
        for (nextLoadLevel = fragLevel - 1; nextLoadLevel > minAutoLevel; nextLoadLevel--)
        {
            const levelNextBitrate = this.levels[nextLoadLevel].maxBitrate;
            const requiresLevelLoad = !this.detailsLoaded.has(nextLoadLevel);
            fragLevelNextLoadedDelay = ttfbSeconds + duration * levelNextBitrate / bwe +
                (requiresLevelLoad ? ttfbSeconds + this.lastLevelLoadSec : 0);
            if (fragLevelNextLoadedDelay < Math.min(bufferStarvationDelay, duration + ttfbSeconds))
            {
                break;
            }
        }
        if (fragLevelNextLoadedDelay >= fragLoadedDelay || fragLevelNextLoadedDelay > duration * 10)
        {
            return null;
        }
        if (loadedFirstByte)
        {
            this.estimator.sample(timeLoading - Math.min(ttfbEstimate, ttfb), loaded);
        }
        else
        {
            this.estimator.sampleTTFB(timeLoading);
        }
        const nextLoadLevelBitrate = this.levels[nextLoadLevel].maxBitrate;
        if (this.estimator.getEstimate() * this.config.abrBandWidthUpFactor > nextLoadLevelBitrate)
        {
            this.estimator = this.newEstimator(nextLoadLevelBitrate);
        }
        const best = this.findBestLevel(nextLoadLevelBitrate, minAutoLevel, nextLoadLevel, 0, bufferStarvationDelay, 1, 1);
        if (best > -1)
        {
            nextLoadLevel = best;
        }
        this.forced = nextLoadLevel;
        const immediate = fragLoadedDelay > fragLevelNextLoadedDelay * 2;
        // abortAndSwitch only aborts the request when the new level is above the lowest; otherwise the fragment
        // finishes and only the next one comes from the lower level.
        return { level: nextLoadLevel, abort: nextLoadLevel > minAutoLevel,
            atMs: immediate ? nowMs : nowMs + fragLevelNextLoadedDelay * 1000 };
    }

    /**
     * abortAndSwitch when it aborts: the lowest level that loads within the buffer, and the estimator restarted at that
     * level's bitrate. Returns the level the fragment is reloaded at.
     */
    onAbort(bufferS, nextLoadLevel)
    {
        let lowest = this.findBestLevel(this.levels[0].maxBitrate, 0, nextLoadLevel, 0, bufferS, 1, 1);
        if (lowest === -1)
        {
            lowest = 0;
        }
        this.estimator = this.newEstimator(this.levels[lowest].maxBitrate);
        this.forced = lowest;
        return lowest;
    }
}

module.exports = { HlsDefaultAbrModel, EwmaBandWidthEstimator, Ewma, hlsJsDefaults, CITED_DEFAULTS };
