package io.bifrost.protocol.aeron;

import io.bifrost.protocol.sbe.EdgeHeartbeatDecoder;
import io.bifrost.protocol.sbe.EdgeTelemetryDecoder;
import io.bifrost.protocol.sbe.LivePartDecoder;
import io.bifrost.protocol.sbe.MessageHeaderDecoder;
import io.bifrost.protocol.sbe.PlacementCommandDecoder;
import io.bifrost.protocol.sbe.SigningKeysDecoder;
import io.bifrost.protocol.sbe.WindowUpdateDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The prologue every receiver of a Bifrost SBE message runs before it decodes a body, in one flyweight: bounds-check
 * the message against its buffer, wrap a view over exactly its bytes, read the message header, check the schema id,
 * check that the template is one this receiver handles, and check the block length. Receivers then wrap the
 * template's decoder over {@link #view()} at {@link #BODY_OFFSET} with {@link #blockLength()} and {@link #version()}
 * (the acting values, so a newer sender with extra fields stays readable, the conventions at the top of
 * {@code bifrost-messages.xml}), and every read they make is bounded to the message.
 *
 * <p>Checks, in order (the first that fails is the {@link Verdict}):
 * <ol>
 *     <li>the message lies inside its buffer and holds at least a message header, else {@link Verdict#TRUNCATED};</li>
 *     <li>the schema id is Bifrost's, else {@link Verdict#FOREIGN_SCHEMA};</li>
 *     <li>the template is one given to the constructor, else {@link Verdict#UNKNOWN_TEMPLATE} (a newer sender's new
 *     message, or one meant for another receiver: skip it);</li>
 *     <li>the block is at least this schema's block length of that template (every field of the root block is since
 *     version 0, so a shorter block cannot be read) and ends inside the message, else {@link Verdict#BAD_BLOCK}.</li>
 * </ol>
 * The acting version is not checked: SBE decoders use it only to hide fields newer than the sender, so any value is
 * safe to read with.
 *
 * <p>Allocation: none per message. Not thread-safe: one per receiver, on the receiver's thread. The view is valid until
 * the next {@link #wrap}, and only while the caller's buffer holds the message.
 */
public final class MessageFrame
{
    /** Offset of the message body in {@link #view()}: right after the message header. */
    public static final int BODY_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    /** Why a message was refused, or {@link #VALID}. */
    public enum Verdict
    {
        /** The frame is wrapped: decode the body. */
        VALID,
        /** Shorter than a message header, or not inside its buffer: malformed. */
        TRUNCATED,
        /** Another schema's message: not ours, skipped. */
        FOREIGN_SCHEMA,
        /** A template this receiver does not handle: skipped. */
        UNKNOWN_TEMPLATE,
        /** Block length shorter than this schema's, or past the end of the message: malformed. */
        BAD_BLOCK;

        /**
         * @return true when the bytes are broken (as opposed to well-formed but not for this receiver).
         */
        public boolean malformed()
        {
            return this == TRUNCATED || this == BAD_BLOCK;
        }
    }

    private final int[] templateIds;
    private final int[] minBlockLengths;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private int templateId = -1;
    private int blockLength;
    private int version;
    private int length;

    /**
     * @param templateIds the templates this receiver handles, each a message of the schema (e.g.
     *                    {@code LivePartDecoder.TEMPLATE_ID}).
     * @throws IllegalArgumentException when a template id is not one of the schema's messages.
     */
    public MessageFrame(final int... templateIds)
    {
        this.templateIds = templateIds.clone();
        this.minBlockLengths = new int[templateIds.length];
        for (int i = 0; i < templateIds.length; i++)
        {
            minBlockLengths[i] = schemaBlockLength(templateIds[i]);
        }
    }

    /**
     * The block length this schema version writes for a template: the least a receiver can read.
     *
     * @param templateId a template id.
     * @return its block length.
     * @throws IllegalArgumentException when the schema has no such message.
     */
    public static int schemaBlockLength(final int templateId)
    {
        return switch (templateId)
        {
            case LivePartDecoder.TEMPLATE_ID -> LivePartDecoder.BLOCK_LENGTH;
            case WindowUpdateDecoder.TEMPLATE_ID -> WindowUpdateDecoder.BLOCK_LENGTH;
            case EdgeHeartbeatDecoder.TEMPLATE_ID -> EdgeHeartbeatDecoder.BLOCK_LENGTH;
            case EdgeTelemetryDecoder.TEMPLATE_ID -> EdgeTelemetryDecoder.BLOCK_LENGTH;
            case PlacementCommandDecoder.TEMPLATE_ID -> PlacementCommandDecoder.BLOCK_LENGTH;
            case SigningKeysDecoder.TEMPLATE_ID -> SigningKeysDecoder.BLOCK_LENGTH;
            default -> throw new IllegalArgumentException("template " + templateId + " is not a message of schema " +
                MessageHeaderDecoder.SCHEMA_ID);
        };
    }

    /**
     * Check one whole message (what a FragmentAssembler hands over) and, when it passes, wrap the view over it.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return {@link Verdict#VALID}, or why the message cannot be decoded.
     */
    public Verdict wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        templateId = -1;
        blockLength = 0;
        version = 0;
        this.length = 0;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH || offset < 0 || offset > buffer.capacity() - length)
        {
            view.wrap(0, 0);
            return Verdict.TRUNCATED;
        }
        view.wrap(buffer, offset, length);
        header.wrap(view, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return Verdict.FOREIGN_SCHEMA;
        }
        final int template = header.templateId();
        int known = -1;
        for (int i = 0; i < templateIds.length; i++)
        {
            if (templateIds[i] == template)
            {
                known = i;
                break;
            }
        }
        if (known < 0)
        {
            return Verdict.UNKNOWN_TEMPLATE;
        }
        final int block = header.blockLength();
        if (block < minBlockLengths[known] || block > length - BODY_OFFSET)
        {
            return Verdict.BAD_BLOCK;
        }
        templateId = template;
        blockLength = block;
        version = header.version();
        this.length = length;
        return Verdict.VALID;
    }

    /**
     * @return a view over exactly the message's bytes (header at 0, body at {@link #BODY_OFFSET}).
     */
    public DirectBuffer view()
    {
        return view;
    }

    /**
     * @return the template id of the wrapped message; -1 unless the last {@link #wrap} was {@link Verdict#VALID}.
     */
    public int templateId()
    {
        return templateId;
    }

    /**
     * @return the acting block length: wrap the decoder with it.
     */
    public int blockLength()
    {
        return blockLength;
    }

    /**
     * @return the acting version: wrap the decoder with it.
     */
    public int version()
    {
        return version;
    }

    /**
     * @return offset of the body in {@link #view()} ({@link #BODY_OFFSET}).
     */
    public int bodyOffset()
    {
        return BODY_OFFSET;
    }

    /**
     * @return the length of the wrapped message (the view's capacity).
     */
    public int length()
    {
        return length;
    }
}
