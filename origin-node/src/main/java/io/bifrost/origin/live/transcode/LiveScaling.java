package io.bifrost.origin.live.transcode;

import io.bifrost.transcoder.backend.BackendSelection;
import io.bifrost.transcoder.cuda.CudaLadderScaler;
import io.bifrost.transcoder.live.LiveScaleBatcher;
import io.bifrost.transcoder.live.LiveScaleContext;
import io.bifrost.transcoder.scale.AreaLadderScaler;
import io.bifrost.transcoder.scale.LadderScaler;
import io.bifrost.transcoder.scale.ScaleJobTable;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * How the origin's live transcoder scales the ladder ({@code origin.live-scaling}; docs/live.md "Batched scaling"):
 * <ul>
 *   <li>{@code ffmpeg}: one ffmpeg per stream decodes, scales every rung with its {@code scale} filter and encodes;
 *       the cheapest route on a CPU.</li>
 *   <li>{@code batched}: per stream a decoder and one encoder per rung, and between them one origin-wide
 *       {@link LiveScaleBatcher} that scales the frames of all streams of one geometry in one launch: on the GPU with
 *       a CUDA device ({@link CudaLadderScaler}), else with the kernel's CPU reference ({@link AreaLadderScaler},
 *       bit-exact, one thread for every stream: for tests and comparisons, not for production on a CPU).</li>
 *   <li>{@code auto} (default): {@code ffmpeg}, on every backend. Measured (BENCHMARKS.md, live scaling): while the
 *       rungs are encoded by libx264 on the CPU, ffmpeg's own scaling is about 15 % of a stream's ladder CPU, and the
 *       batched layout (a decoder and one encoder per rung, raw frames through pipes) costs more than that: 15 % more
 *       ffmpeg CPU for one stream alone, 50 % more for four streams on two cores. So a GPU that takes the scaling
 *       does not pay back where encoding stays on the CPU, which is every JCuda machine (a GPU with NVENC gets the
 *       NVENC backend instead). With a JCuda backend the log says how to opt in.</li>
 * </ul>
 * Either way the rungs are encoded with libx264 (NVENC for live is not built). Owns the batcher's thread; closed by the
 * live ingest. Metric: {@value #METRIC} (value 1, tags {@code mode} and {@code scaler}).
 */
public final class LiveScaling implements AutoCloseable
{
    /** Gauge, value 1, tagged with the live scaling mode and scaler. */
    public static final String METRIC = "bifrost.live.scaling";
    /** How long the batcher sleeps when no group is due: well under a frame. */
    private static final long IDLE_SLEEP_NS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final Logger LOG = LoggerFactory.getLogger(LiveScaling.class);

    /** The configured mode. */
    public enum Mode
    {
        /** ffmpeg today (see the class comment); kept so that a later measured choice reaches configs saying auto. */
        AUTO,
        /** One ffmpeg per stream scales its own ladder. */
        FFMPEG,
        /** The origin-wide batcher scales every stream's frames. */
        BATCHED;

        /**
         * @param value a name, case-insensitive.
         * @return the mode.
         * @throws IllegalArgumentException listing the accepted names.
         */
        public static Mode parse(final String value)
        {
            try
            {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("origin.live-scaling must be one of auto, ffmpeg, batched; got '" +
                    value + "'", ex);
            }
        }
    }

    private final LiveScaleBatcher batcher;
    private final AgentRunner runner;
    private final String description;

    private LiveScaling(final LiveScaleBatcher batcher, final String description)
    {
        this.batcher = batcher;
        this.description = description;
        if (null == batcher)
        {
            this.runner = null;
        }
        else
        {
            this.runner = new AgentRunner(new SleepingIdleStrategy(IDLE_SLEEP_NS),
                ex -> LOG.warn("live scale batcher: {}", ex.toString(), ex), null, batcher);
            AgentRunner.startOnThread(runner);
        }
    }

    /**
     * @return one ffmpeg per stream, nothing shared.
     */
    public static LiveScaling ffmpeg()
    {
        return new LiveScaling(null, "ffmpeg: one process per stream scales its own ladder");
    }

    /**
     * Choose and start the live scaling, log the choice and expose it as {@value #METRIC}.
     *
     * @param mode     the configured mode.
     * @param backend  the transcode backend chosen at start-up.
     * @param registry where the batcher's metrics and the gauge go.
     * @return the running choice; close it after the live ingest's streams.
     */
    public static LiveScaling open(final Mode mode, final BackendSelection backend, final MeterRegistry registry)
    {
        final boolean gpu = backend.cuda().present();
        final LiveScaling scaling;
        if (Mode.BATCHED != mode)
        {
            final String why = Mode.FFMPEG == mode ? "configured" : gpu ? "auto; there is a CUDA device, but " +
                "batched scaling on it costs more CPU than it saves while libx264 encodes (BENCHMARKS.md); " +
                "origin.live-scaling=batched opts in" : "auto";
            scaling = new LiveScaling(null, "ffmpeg: one process per stream scales its own ladder (" + why + ")");
        }
        else
        {
            final BiFunction<ScaleJobTable, Integer, LadderScaler> scalers = gpu ?
                (table, frames) -> new CudaLadderScaler(table, frames, 1) :
                (table, frames) -> new AreaLadderScaler(table, frames, 1);
            final LiveScaleBatcher batcher = new LiveScaleBatcher(new LiveScaleContext().scalers(scalers)
                .registry(registry));
            scaling = new LiveScaling(batcher, "batched: streams' frames scaled together " + (gpu ?
                "on the GPU (" + backend.cuda().name() + ")" : "on the CPU by the kernel's Java reference, one " +
                "thread for every stream (for tests and comparisons; ffmpeg is cheaper on a CPU)") + ", one libx264 " +
                "encoder per rung");
        }
        LOG.info("live scaling {}", scaling.description);
        Gauge.builder(METRIC, () -> 1)
            .description("How the live ladder is scaled (value 1); the tags say which")
            .tag("mode", scaling.batched() ? "batched" : "ffmpeg")
            .tag("scaler", scaling.batched() ? (gpu ? "cuda" : "cpu") : "ffmpeg")
            .register(registry);
        return scaling;
    }

    /**
     * @return whether streams go through the batcher.
     */
    public boolean batched()
    {
        return null != batcher;
    }

    /**
     * @return the shared batcher, or null in ffmpeg mode.
     */
    public LiveScaleBatcher batcher()
    {
        return batcher;
    }

    /**
     * @return one line for logs: the mode and why.
     */
    public String description()
    {
        return description;
    }

    /** Stop the batcher's thread and close its scalers (after every stream left it). */
    @Override
    public void close()
    {
        if (null != runner)
        {
            runner.close();
        }
    }

    @Override
    public String toString()
    {
        return "LiveScaling{" + description + "}";
    }
}
