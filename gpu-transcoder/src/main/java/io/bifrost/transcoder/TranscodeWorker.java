package io.bifrost.transcoder;

import io.bifrost.protocol.node.RoleNotBuiltException;
import io.bifrost.protocol.node.RunningRole;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The transcode role: a worker that tails the job log and turns uploads into renditions.
 */
public final class TranscodeWorker
{
    /** Role name on the command line. */
    public static final String ROLE = "transcode";

    private TranscodeWorker()
    {
    }

    /**
     * Start a transcode worker from a context.
     *
     * @param context the settings; {@link Context#conclude()} is called here.
     * @return the running worker.
     * @throws RoleNotBuiltException until the VOD pipeline issue (#4) lands.
     */
    public static RunningRole launch(final Context context)
    {
        context.conclude();
        throw new RoleNotBuiltException(ROLE,
            "standalone VOD transcode worker; the origin transcodes in-process, see origin.transcode-workers", 4);
    }

    /** Which encoder family a worker uses; {@code AUTO} probes the machine at start-up. */
    public enum Backend
    {
        /** Pick the best available: JCuda scaling where a CUDA device exists, NVENC only where the GPU has it. */
        AUTO,
        /** ffmpeg with libx264 on the CPU. */
        CPU,
        /** ffmpeg h264_nvenc/hevc_nvenc (only on GPUs that have NVENC; H100/H200 do not). */
        NVENC,
        /** JCuda kernels for the scaling ladder, then NVENC or libx264. */
        JCUDA;

        /**
         * @param value a name, case-insensitive.
         * @return the backend.
         * @throws IllegalArgumentException listing the accepted names.
         */
        public static Backend parse(final String value)
        {
            return parse("transcode.backend", value);
        }

        /**
         * @param key   the setting's name, for the error.
         * @param value a name, case-insensitive.
         * @return the backend.
         * @throws IllegalArgumentException naming the key and listing the accepted names.
         */
        public static Backend parse(final String key, final String value)
        {
            try
            {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException(key + " must be one of auto, cpu, nvenc, jcuda; got '" + value + "'",
                    ex);
            }
        }
    }

    /**
     * Worker settings. Mutable until {@link #conclude()}.
     */
    public static final class Context
    {
        private Backend backend = Backend.AUTO;
        private int workers = 1;
        private Path dataDir = Path.of("data", ROLE);

        public Context backend(final Backend backend) { this.backend = backend; return this; }
        public Backend backend() { return backend; }
        /** Concurrent transcode jobs (each is one ffmpeg process). */
        public Context workers(final int workers) { this.workers = workers; return this; }
        public int workers() { return workers; }
        public Context dataDir(final Path dataDir) { this.dataDir = dataDir; return this; }
        public Path dataDir() { return dataDir; }

        /**
         * Validate the settings.
         *
         * @return this.
         * @throws IllegalArgumentException naming the bad key.
         */
        public Context conclude()
        {
            if (workers < 1 || workers > 64)
            {
                throw new IllegalArgumentException("transcode.workers must be between 1 and 64, got " + workers);
            }
            return this;
        }
    }
}
