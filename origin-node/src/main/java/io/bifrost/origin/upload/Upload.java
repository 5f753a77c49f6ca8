package io.bifrost.origin.upload;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One upload in memory: its current {@link UploadState} and the lock that lets one request at a time write to it
 * (a PATCH, a DELETE, the expiry sweep). State is read lock-free (volatile) and replaced only by the lock holder or
 * by the validation and hand-off steps, which run when no PATCH can hold it; replacements synchronise on this object
 * so the record on disk and in memory change together.
 */
final class Upload
{
    private final AtomicBoolean locked = new AtomicBoolean();
    private volatile UploadState state;
    private boolean discarded;

    Upload(final UploadState state)
    {
        this.state = state;
    }

    UploadState state()
    {
        return state;
    }

    void state(final UploadState state)
    {
        this.state = state;
    }

    /** Mark the upload as deleted for good; call while synchronised on it. */
    void discard()
    {
        discarded = true;
    }

    /**
     * Call while synchronised on this upload, before writing its state.
     *
     * @throws IOException when the upload was discarded meanwhile, so its record must not be written again.
     */
    void requireLive() throws IOException
    {
        if (discarded)
        {
            throw new IOException("upload " + state.uploadId() + " was discarded");
        }
    }

    boolean tryLock()
    {
        return locked.compareAndSet(false, true);
    }

    void unlock()
    {
        locked.set(false);
    }
}
