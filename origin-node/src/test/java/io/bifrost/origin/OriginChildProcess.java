package io.bifrost.origin;

import io.bifrost.origin.catalog.VideoMetadata;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * An origin in its own JVM, for crash tests: launches on a data directory, submits one source, prints
 * {@code SUBMITTED}, and runs until it is killed.
 */
public final class OriginChildProcess
{
    private OriginChildProcess()
    {
    }

    /**
     * @param args data directory, source file, video id, x264 preset.
     * @throws InterruptedException never in practice: the process is killed.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final RunningOrigin origin = OriginNode.launch(new OriginNode.Context()
            .bindAddress("127.0.0.1")
            .port(0)
            .dataDir(Path.of(args[0]))
            .ioThreads(1)
            .blockingThreads(1)
            .x264Preset(args[3])
            .segmentSeconds(2));
        origin.submit(args[2], Path.of(args[1]), VideoMetadata.EMPTY);
        System.out.println("SUBMITTED");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
