package io.bifrost.origin.live;

/**
 * Told about every part and window change of every live stream, in order per stream: a part before the window update
 * that announces it. The Aeron publisher to the edges is one. Calls come from the packager's thread with its lock
 * held for that stream: an implementation copies what it needs and returns quickly, never blocks.
 */
public interface LiveListener
{
    /**
     * @param part the part just completed.
     */
    void onPart(LivePartEvent part);

    /**
     * @param window the window after the change.
     */
    void onWindow(LiveWindowEvent window);
}
