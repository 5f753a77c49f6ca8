package io.bifrost.origin.store;

import io.bifrost.protocol.naming.ContentKey;
import io.bifrost.protocol.naming.ContentKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Imports a published title folder ({@code {outputRoot}/{videoId}/}, complete by the transcoder's atomic publication)
 * into the {@link OriginStore}: every file under its URL path, the master playlist and MPD a second time as the
 * caption-free base, and the caller's catalog record, all in one synced batch. The batch first deletes the title's
 * key range, so a replay after a crash writes exactly the same keys and values (Last-Modified is the file's modified
 * time) and changes nothing. The batch holds the whole title in native memory while it is built.
 *
 * <p>Stateless; thread-safe for different titles.
 */
public final class TitleImport
{
    /**
     * What an import wrote.
     *
     * @param objects      content keys written.
     * @param bytes        payload bytes written.
     * @param ignoredFiles files of the folder that are not part of the served layout (relative paths).
     */
    public record Summary(int objects, long bytes, List<String> ignoredFiles)
    {
    }

    private TitleImport()
    {
    }

    /**
     * @param store    the store.
     * @param videoId  the title id.
     * @param titleDir the published title folder.
     * @param metadata catalog entries written in the same batch (key to value).
     * @return what was written.
     * @throws IOException when the folder cannot be read.
     */
    public static Summary importTitle(final OriginStore store, final String videoId, final Path titleDir,
        final Map<String, byte[]> metadata) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(titleDir))
        {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int objects = 0;
        long bytes = 0;
        final List<String> ignored = new ArrayList<>();
        try (OriginStore.Batch batch = store.batch())
        {
            batch.deleteTitle(videoId);
            for (final Path file : files)
            {
                final String relative = titleDir.relativize(file).toString().replace('\\', '/');
                final ContentKey key = TitleLayout.keyOf(videoId, relative);
                if (key == null)
                {
                    ignored.add(relative);
                    continue;
                }
                final byte[] payload = Files.readAllBytes(file);
                final long modified = Files.getLastModifiedTime(file).toMillis();
                batch.putObject(key.path(), payload, modified);
                if (key.kind() == ContentKind.MASTER_PLAYLIST || key.kind() == ContentKind.MPD)
                {
                    batch.putObject(TitleLayout.basePath(key), payload, modified);
                }
                objects++;
                bytes += payload.length;
            }
            for (final Map.Entry<String, byte[]> entry : metadata.entrySet())
            {
                batch.putMetadata(entry.getKey(), entry.getValue());
            }
            batch.commit();
        }
        return new Summary(objects, bytes, List.copyOf(ignored));
    }
}
