package io.bifrost.origin.upload;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;

/**
 * The upload server as a process of its own, for the kill -9 test: {@code UploadServerMain <dataDir>} serves on an
 * ephemeral port of 127.0.0.1, prints {@code UPLOAD-SERVER-PORT <port>} once it listens, and runs until killed.
 */
public final class UploadServerMain
{
    private UploadServerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final UploadTestServer server = UploadTestServer.start(new UploadContext().dataDir(Path.of(args[0]))
            .validator(UploadValidator.ACCEPT_ALL).meterRegistry(new SimpleMeterRegistry()));
        System.out.println("UPLOAD-SERVER-PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
