package io.bifrost.edge.fill;

import io.netty.buffer.ByteBuf;

/**
 * Receives one origin fill as it happens. Calls arrive in order (head, content..., then complete or error) from the
 * fill's thread, never concurrently; a listener that joins late is first replayed what already arrived.
 *
 * <p>Implementations must not block: they run on a Netty event loop.
 */
public interface FillListener
{
    /**
     * The origin answered.
     *
     * @param head status and the end-to-end headers to forward.
     */
    void onHead(FillHead head);

    /**
     * Body bytes, in order. The buffer is borrowed for the duration of the call: retain or copy what you keep.
     *
     * @param chunk the next bytes of the body.
     */
    void onContent(ByteBuf chunk);

    /**
     * The body is complete.
     */
    void onComplete();

    /**
     * The fill failed; no more calls follow.
     *
     * @param failure why, and whether a head was already delivered.
     */
    void onError(FillFailure failure);

}
