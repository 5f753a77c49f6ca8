package io.bifrost.origin.upload;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * Names and numbers of the tus 1.0.0 resumable upload protocol (tus.io/protocols/resumable-upload), and the strict
 * parsing of its numeric headers.
 */
final class TusProtocol
{
    /** The only protocol version served (core protocol, "Tus-Resumable"). */
    static final String VERSION = "1.0.0";
    /** Extensions served ("Tus-Extension"). */
    static final String EXTENSIONS = "creation,termination,checksum,expiration";
    /** The media type of a PATCH body (core protocol, "PATCH"). */
    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    /** Checksum extension: the body does not match Upload-Checksum. */
    static final HttpResponseStatus CHECKSUM_MISMATCH = new HttpResponseStatus(460, "Checksum Mismatch");
    /** Another request holds the upload (WebDAV's 423; tus clients retry on it). */
    static final HttpResponseStatus LOCKED = new HttpResponseStatus(423, "Locked");

    static final AsciiString TUS_RESUMABLE = AsciiString.cached("Tus-Resumable");
    static final AsciiString TUS_VERSION = AsciiString.cached("Tus-Version");
    static final AsciiString TUS_EXTENSION = AsciiString.cached("Tus-Extension");
    static final AsciiString TUS_MAX_SIZE = AsciiString.cached("Tus-Max-Size");
    static final AsciiString TUS_CHECKSUM_ALGORITHM = AsciiString.cached("Tus-Checksum-Algorithm");
    static final AsciiString UPLOAD_OFFSET = AsciiString.cached("Upload-Offset");
    static final AsciiString UPLOAD_LENGTH = AsciiString.cached("Upload-Length");
    static final AsciiString UPLOAD_DEFER_LENGTH = AsciiString.cached("Upload-Defer-Length");
    static final AsciiString UPLOAD_METADATA = AsciiString.cached("Upload-Metadata");
    static final AsciiString UPLOAD_EXPIRES = AsciiString.cached("Upload-Expires");
    static final AsciiString UPLOAD_CHECKSUM = AsciiString.cached("Upload-Checksum");
    static final AsciiString METHOD_OVERRIDE = AsciiString.cached("X-HTTP-Method-Override");
    /** Bifrost's own: where the upload stands ({@code uploading}, {@code validating}, {@code completed}, ...). */
    static final AsciiString UPLOAD_STATUS = AsciiString.cached("Bifrost-Upload-Status");
    /** Bifrost's own: the reason code of a rejected upload. */
    static final AsciiString REJECTION_CODE = AsciiString.cached("Bifrost-Rejection-Code");
    /** Bifrost's own: the video id the upload becomes. */
    static final AsciiString VIDEO_ID = AsciiString.cached("Bifrost-Video-Id");

    private TusProtocol()
    {
    }

    /**
     * Parse a tus size or offset: a non-negative decimal integer, digits only (no sign, no spaces, no exponent).
     *
     * @param name  the header name, for the message.
     * @param value the header value.
     * @return the number.
     * @throws UploadException 400 {@code tus.bad_header} otherwise.
     */
    static long parseNonNegative(final CharSequence name, final String value) throws UploadException
    {
        if (value == null || value.isEmpty() || value.length() > 19)
        {
            throw UploadException.badRequest("tus.bad_header", name + " must be a non-negative integer");
        }
        long result = 0;
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9')
            {
                throw UploadException.badRequest("tus.bad_header", name + " must be a non-negative integer");
            }
            result = result * 10 + (c - '0');
            if (result < 0)
            {
                throw UploadException.badRequest("tus.bad_header", name + " is too large");
            }
        }
        return result;
    }
}
