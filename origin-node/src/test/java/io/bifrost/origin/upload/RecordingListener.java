package io.bifrost.origin.upload;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link UploadListener} that remembers every call, for assertions. */
final class RecordingListener implements UploadListener
{
    final List<String> events = new CopyOnWriteArrayList<>();
    final Map<String, Path> completed = new ConcurrentHashMap<>();
    final Map<String, UploadMetadata> created = new ConcurrentHashMap<>();

    @Override
    public void onCreated(final String videoId, final UploadMetadata metadata)
    {
        created.put(videoId, metadata);
        events.add("created " + videoId);
    }

    @Override
    public void onCompleted(final String videoId, final Path sourceFile, final UploadMetadata metadata)
    {
        completed.put(videoId, sourceFile);
        events.add("completed " + videoId);
    }

    @Override
    public void onTerminated(final String videoId)
    {
        events.add("terminated " + videoId);
    }

    @Override
    public void onRejected(final String videoId, final String code, final String message)
    {
        events.add("rejected " + videoId + " " + code);
    }
}
