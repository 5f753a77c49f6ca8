package io.bifrost.origin.live;

import io.bifrost.protocol.aeron.AeronChannels;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Incremental reader of one rendition's fragmented MP4 byte stream: bytes arrive in chunks of any size, top-level
 * boxes are parsed as soon as they are complete. {@code ftyp} + {@code moov} become the {@link InitSegment};
 * each {@code moof} + {@code mdat} pair becomes a {@link CmafFragment}. {@code styp}, {@code sidx}, {@code prft},
 * {@code emsg}, {@code free}, {@code skip} and unknown top-level boxes are skipped. A second {@code moov} (new
 * encoder parameters) starts a new header.
 *
 * <p>Bounds: a header box (ftyp, moov) or a skipped box larger than {@link #MAX_HEADER_BOX_BYTES}, a moof larger than
 * {@link #MAX_MOOF_BYTES}, an mdat larger than {@link #MAX_MDAT_BYTES} (so a fragment always fits one Aeron live
 * message), a box whose size is smaller than its header, a 64-bit size beyond the
 * bounds, or size 0 ("to the end of the file", which a live stream has not) are refused with an
 * {@link IllegalArgumentException}; the reader is then failed and refuses everything after. At most one box is
 * buffered, so memory stays below the bounds.
 *
 * <p>Not thread-safe: one producer thread feeds it.
 */
public final class FragmentedMp4Reader
{
    /** Largest header or skipped box: 1 MiB. */
    public static final int MAX_HEADER_BOX_BYTES = 1024 * 1024;
    /** Largest moof: 128 KiB (a moof of a 1 s part at 60 fps is under 2 KiB; 1024 samples with every field, 16 KiB). */
    public static final int MAX_MOOF_BYTES = 128 * 1024;
    /** Largest mdat: what one Aeron live message can carry, minus the largest moof (about 1.9 MiB). */
    public static final int MAX_MDAT_BYTES = AeronChannels.MAX_LIVE_PART_BYTES - MAX_MOOF_BYTES;

    /**
     * Told about what the reader completes.
     */
    public interface Listener
    {
        /**
         * @param init the header, parsed.
         */
        void onInit(InitSegment init);

        /**
         * @param fragment a complete fragment; its bytes are owned by the listener from now on.
         */
        void onFragment(CmafFragment fragment);
    }

    private static final int FREE = Mp4Boxes.fourcc("free");
    private static final int SKIP = Mp4Boxes.fourcc("skip");

    private final TrackKind kind;
    private final Listener listener;
    private byte[] buffer = new byte[64 * 1024];
    private int length;
    private byte[] ftyp;
    private InitSegment init;
    private byte[] moof;
    private int moofHeader;
    private String failure;

    /**
     * @param kind     the kind the producer announced; the header must hold that kind of track.
     * @param listener told about headers and fragments, on the caller's thread.
     */
    public FragmentedMp4Reader(final TrackKind kind, final Listener listener)
    {
        this.kind = kind;
        this.listener = listener;
    }

    /**
     * @param chunk the next bytes, from position to limit; consumed (position moves to limit).
     * @throws IllegalArgumentException when the stream is malformed (then and on every later call).
     */
    public void accept(final ByteBuffer chunk)
    {
        if (failure != null)
        {
            throw new IllegalArgumentException("the stream already failed: " + failure);
        }
        try
        {
            while (chunk.hasRemaining())
            {
                final int needed = boxSizeNeeded();
                final int want = needed > 0 ? needed - length : 16 - length;
                final int take = Math.min(chunk.remaining(), Math.max(want, 1));
                ensureCapacity(length + take);
                chunk.get(buffer, length, take);
                length += take;
                drain();
            }
        }
        catch (final IllegalArgumentException ex)
        {
            failure = ex.getMessage();
            buffer = new byte[0];
            length = 0;
            throw ex;
        }
    }

    /**
     * @return the header, or null before it arrived.
     */
    public InitSegment init()
    {
        return init;
    }

    /**
     * @return true when no partial box is buffered (the stream ended on a box boundary).
     */
    public boolean atBoxBoundary()
    {
        return length == 0 && moof == null;
    }

    private void drain()
    {
        while (true)
        {
            final int size = boxSizeNeeded();
            if (size < 0 || length < size)
            {
                return;
            }
            final int type = Mp4Boxes.int32(buffer, 4, length);
            final int header = Mp4Boxes.uint32(buffer, 0, length) == 1 ? 16 : 8;
            onBox(type, header, size);
            final int rest = length - size;
            if (rest > 0)
            {
                System.arraycopy(buffer, size, buffer, 0, rest);
            }
            length = rest;
            if (buffer.length > 256 * 1024 && length < 64 * 1024)
            {
                buffer = Arrays.copyOf(buffer, 64 * 1024);
            }
        }
    }

    /**
     * @return the size of the box at the front of the buffer, or -1 while its header is incomplete.
     */
    private int boxSizeNeeded()
    {
        if (length < 8)
        {
            return -1;
        }
        final long size32 = Mp4Boxes.uint32(buffer, 0, length);
        final int type = Mp4Boxes.int32(buffer, 4, length);
        final long size;
        if (size32 == 1)
        {
            if (length < 16)
            {
                return -1;
            }
            size = Mp4Boxes.int64(buffer, 8, length);
            if (size < 16)
            {
                throw new IllegalArgumentException("box '" + Mp4Boxes.typeName(type) + "' has a 64-bit size " + size +
                    " smaller than its header");
            }
        }
        else if (size32 == 0)
        {
            throw new IllegalArgumentException("box '" + Mp4Boxes.typeName(type) +
                "' has size 0 (to the end of the file), which a live stream cannot have");
        }
        else
        {
            size = size32;
            if (size < 8)
            {
                throw new IllegalArgumentException("box '" + Mp4Boxes.typeName(type) + "' has a size " + size +
                    " smaller than its header");
            }
        }
        final long limit = type == Mp4Boxes.MDAT ? MAX_MDAT_BYTES : type == Mp4Boxes.MOOF ? MAX_MOOF_BYTES :
            MAX_HEADER_BOX_BYTES;
        if (size > limit)
        {
            throw new IllegalArgumentException("box '" + Mp4Boxes.typeName(type) + "' of " + size +
                " bytes is larger than the " + limit + " bytes a live rendition may use");
        }
        return (int)size;
    }

    private void onBox(final int type, final int header, final int size)
    {
        if (type == Mp4Boxes.FTYP)
        {
            ftyp = Arrays.copyOf(buffer, size);
        }
        else if (type == Mp4Boxes.MOOV)
        {
            final int ftypLength = ftyp == null ? 0 : ftyp.length;
            final byte[] bytes = new byte[ftypLength + size];
            if (ftyp != null)
            {
                System.arraycopy(ftyp, 0, bytes, 0, ftypLength);
            }
            System.arraycopy(buffer, 0, bytes, ftypLength, size);
            init = InitSegmentParser.parse(bytes, kind);
            moof = null;
            listener.onInit(init);
        }
        else if (type == Mp4Boxes.MOOF)
        {
            if (init == null)
            {
                throw new IllegalArgumentException("moof before the moov header");
            }
            if (moof != null)
            {
                throw new IllegalArgumentException("moof without its mdat");
            }
            moof = Arrays.copyOf(buffer, size);
            moofHeader = header;
        }
        else if (type == Mp4Boxes.MDAT)
        {
            if (moof == null)
            {
                throw new IllegalArgumentException("mdat without a moof before it");
            }
            final byte[] bytes = Arrays.copyOf(moof, moof.length + size);
            System.arraycopy(buffer, 0, bytes, moof.length, size);
            final int moofSize = moof.length;
            moof = null;
            listener.onFragment(MoofParser.parse(bytes, moofHeader, moofSize, init));
        }
        else if (type == FREE || type == SKIP || moof == null)
        {
            // styp, sidx, prft, emsg and anything unknown between fragments: not part of the CMAF chunk
            return;
        }
        else
        {
            throw new IllegalArgumentException("box '" + Mp4Boxes.typeName(type) + "' between a moof and its mdat");
        }
    }

    private void ensureCapacity(final int capacity)
    {
        if (capacity > buffer.length)
        {
            buffer = Arrays.copyOf(buffer, Math.max(capacity, Math.min(buffer.length * 2, MAX_MDAT_BYTES + 16)));
        }
    }
}
