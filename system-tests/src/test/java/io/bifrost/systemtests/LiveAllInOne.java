package io.bifrost.systemtests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code bifrost all} the live system tests run: every role in one process on 127.0.0.1, the ingest checking keys
 * with the control plane, no SRT, an edge with 64 MiB of RAM tier and no SSD tier, the ports the test chose, and the
 * test's own extra flags last (they win).
 */
final class LiveAllInOne
{
    private LiveAllInOne()
    {
    }

    /**
     * @param dataDir     the process's data directory.
     * @param controlPort the control plane's port (the ingest's key checks go there).
     * @param rtmpPort    the RTMP port.
     * @param edgePort    the edge's port.
     * @param extra       more {@code --key value} flags.
     * @return the started process (wait for its "role edge started" line before using it).
     */
    static BifrostProcess start(final Path dataDir, final int controlPort, final int rtmpPort, final int edgePort,
        final String... extra) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("all", "--ops-port", "0", "--bind", "127.0.0.1",
            "--data-dir", dataDir.toString(), "--control.port", Integer.toString(controlPort),
            "--ingest.control-url", "http://127.0.0.1:" + controlPort, "--ingest.rtmp-port", Integer.toString(rtmpPort),
            "--ingest.srt-enabled", "false", "--origin.port", Integer.toString(ExternalTools.freePort()),
            "--edge.port", Integer.toString(edgePort), "--edge.ram-bytes", "64m", "--edge.ssd-bytes", "0"));
        args.addAll(List.of(extra));
        return BifrostProcess.start(args.toArray(String[]::new));
    }
}
