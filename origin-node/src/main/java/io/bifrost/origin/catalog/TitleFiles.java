package io.bifrost.origin.catalog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * File work of the catalog: keeping an original durably, deleting title folders, reading failure notes. Stateless.
 */
final class TitleFiles
{
    private static final int MAX_NOTE_BYTES = 8192;

    private TitleFiles()
    {
    }

    /**
     * Move (or, across file systems, copy then delete) an upload to where originals live, and flush it and the
     * folder, so the job appended next never names a file a crash could lose.
     */
    static Path keepOriginal(final Path file, final Path target)
    {
        try
        {
            Files.createDirectories(target.getParent());
            if (!file.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize()))
            {
                try
                {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                catch (final AtomicMoveNotSupportedException ex)
                {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.delete(file);
                }
            }
            force(target);
            force(target.getParent());
            return target.toAbsolutePath();
        }
        catch (final IOException ex)
        {
            throw new CatalogException(CatalogException.Kind.CONFLICT, "video.original",
                "cannot keep the upload " + file + " as " + target + ": " + ex.getMessage());
        }
    }

    static void force(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    static String readNote(final Path note)
    {
        try
        {
            final byte[] bytes = Files.readAllBytes(note);
            return new String(bytes, 0, Math.min(bytes.length, MAX_NOTE_BYTES), StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            return "transcode.failed: " + ex.getMessage();
        }
    }

    /** Delete a file or folder tree if it exists; what cannot be deleted is left (and deleted by the next try). */
    static void deleteQuietly(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try
        {
            Files.walkFileTree(root, new SimpleFileVisitor<>()
            {
                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
                {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(final Path dir, final IOException failure) throws IOException
                {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        catch (final IOException ignore)
        {
            // best effort: the store no longer serves anything of the title
        }
    }
}
