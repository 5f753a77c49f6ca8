package io.bifrost.transcoder.protection;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * CENC-encrypts one CMAF media segment ({@code styp}, {@code sidx}, then {@code moof}/{@code mdat} pairs) with the
 * 'cenc' scheme (ISO/IEC 23001-7 section 9.4, AES-128 CTR): each sample gets a random 8-byte IV; audio samples are
 * encrypted whole; video samples per NAL unit, the length prefix and NAL header clear and the rest encrypted in whole
 * 16-byte blocks (remainders and non-VCL units stay clear), described as subsamples. Each {@code traf} gains
 * {@code saiz}, {@code saio} and {@code senc} (section 7); {@code trun} data offsets and the {@code sidx} referenced
 * sizes grow by what the {@code moof} grew. Requires {@code default-base-is-moof} track fragments (what ffmpeg's
 * CMAF output writes). Not thread-safe (one instance per thread: it holds a cipher).
 */
final class CencSegment
{
    private static final int TFHD_BASE_DATA_OFFSET = 0x1;
    private static final int TFHD_SAMPLE_DESCRIPTION = 0x2;
    private static final int TFHD_DEFAULT_DURATION = 0x8;
    private static final int TFHD_DEFAULT_SIZE = 0x10;
    private static final int TRUN_DATA_OFFSET = 0x1;
    private static final int TRUN_FIRST_FLAGS = 0x4;
    private static final int TRUN_DURATION = 0x100;
    private static final int TRUN_SIZE = 0x200;
    private static final int TRUN_FLAGS = 0x400;
    private static final int TRUN_CTO = 0x800;
    private static final int SENC_SUBSAMPLES = 0x2;
    private static final int MAX_CLEAR = 0xFFFF;
    private static final int BLOCK = 16;

    private final CencInit init;
    private final SecretKeySpec key;
    private final SecureRandom random;
    private final Cipher cipher;

    CencSegment(final CencInit init, final TitleKey key, final SecureRandom random)
    {
        this.init = init;
        this.key = new SecretKeySpec(key.key(), "AES");
        this.random = random;
        try
        {
            this.cipher = Cipher.getInstance("AES/CTR/NoPadding");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JVM has no AES-CTR", ex);
        }
    }

    /**
     * @param segment the clear segment (its mdat payloads are encrypted in place).
     * @return the encrypted segment.
     * @throws IllegalArgumentException when the segment is malformed or laid out in a way not covered.
     */
    byte[] encrypt(final byte[] segment)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length + 4096);
        final List<Integer> growth = new ArrayList<>();
        int sidxAt = -1;
        int at = 0;
        while (at < segment.length)
        {
            final int size = IsoBox.size(segment, at, segment.length);
            if (IsoBox.is(segment, at, "moof"))
            {
                final byte[] moof = protectMoof(segment, at, at + size);
                growth.add(moof.length - size);
                out.write(moof, 0, moof.length);
            }
            else
            {
                IsoBox.require(!IsoBox.is(segment, at, "sidx") || sidxAt < 0, "more than one sidx");
                sidxAt = IsoBox.is(segment, at, "sidx") ? out.size() : sidxAt;
                out.write(segment, at, size);
            }
            at += size;
        }
        IsoBox.require(!growth.isEmpty(), "the segment has no moof");
        final byte[] result = out.toByteArray();
        if (sidxAt >= 0)
        {
            patchSidx(result, sidxAt, growth);
        }
        return result;
    }

    /** Add each moof's growth to its sidx reference (or all of it to a single reference). */
    private static void patchSidx(final byte[] b, final int sidx, final List<Integer> growth)
    {
        final int version = b[sidx + IsoBox.HEADER] & 0xFF;
        final int countAt = sidx + IsoBox.FULL_HEADER + 8 + (version == 0 ? 8 : 16) + 2;
        final int count = IsoBox.u16(b, countAt);
        IsoBox.require(count == growth.size() || count == 1, "sidx has " + count + " references for " +
            growth.size() + " fragments");
        for (int i = 0; i < growth.size(); i++)
        {
            final int ref = countAt + 2 + 12 * (count == 1 ? 0 : i);
            final long word = IsoBox.u32(b, ref);
            IsoBox.putU32(b, ref, (word & 0x8000_0000L) | ((word & 0x7FFF_FFFFL) + growth.get(i)));
        }
    }

    private byte[] protectMoof(final byte[] b, final int moof, final int moofEnd)
    {
        final ByteArrayOutputStream children = new ByteArrayOutputStream(moofEnd - moof + 1024);
        final List<int[]> truns = new ArrayList<>();
        int at = moof + IsoBox.HEADER;
        while (at < moofEnd)
        {
            final int size = IsoBox.size(b, at, moofEnd);
            if (IsoBox.is(b, at, "traf"))
            {
                final int trafOut = IsoBox.HEADER + children.size();
                final Traf traf = protectTraf(b, moof, at, at + size);
                truns.add(new int[] {trafOut + traf.trunOffset(), trafOut + traf.sencIvsOffset()});
                children.write(traf.bytes(), 0, traf.bytes().length);
            }
            else
            {
                children.write(b, at, size);
            }
            at += size;
        }
        final int newSize = IsoBox.HEADER + children.size();
        final int delta = newSize - (moofEnd - moof);
        final byte[] out = new byte[newSize];
        IsoBox.putU32(out, 0, newSize);
        System.arraycopy(b, moof + 4, out, 4, 4);
        System.arraycopy(children.toByteArray(), 0, out, IsoBox.HEADER, children.size());
        for (final int[] trun : truns)
        {
            // trun data_offset (relative to the moof, which grew) and saio's offset of the first IV in senc
            final int dataOffset = trun[0] + IsoBox.FULL_HEADER + 4;
            IsoBox.putU32(out, dataOffset, IsoBox.u32(out, dataOffset) + delta);
            final int saioOffset = trun[1] - 4;
            IsoBox.putU32(out, saioOffset, trun[1] + IsoBox.FULL_HEADER + 4);
        }
        return out;
    }

    /**
     * @param bytes         the traf with saiz, saio and senc appended.
     * @param trunOffset    where its trun starts, inside it.
     * @param sencIvsOffset where its saio's offset field ends, inside it (the field is patched once the moof is laid
     *                      out); the senc box starts right there.
     */
    private record Traf(byte[] bytes, int trunOffset, int sencIvsOffset)
    {
    }

    private Traf protectTraf(final byte[] b, final int moof, final int traf, final int trafEnd)
    {
        final int tfhd = IsoBox.require(b, traf + IsoBox.HEADER, trafEnd, "tfhd");
        final int tfhdFlags = (int)(IsoBox.u32(b, tfhd + IsoBox.HEADER) & 0xFF_FFFF);
        IsoBox.require((tfhdFlags & TFHD_BASE_DATA_OFFSET) == 0, "tfhd with an explicit base data offset");
        int field = tfhd + IsoBox.FULL_HEADER + 4;
        field += (tfhdFlags & TFHD_SAMPLE_DESCRIPTION) != 0 ? 4 : 0;
        field += (tfhdFlags & TFHD_DEFAULT_DURATION) != 0 ? 4 : 0;
        final long defaultSize = (tfhdFlags & TFHD_DEFAULT_SIZE) != 0 ? IsoBox.u32(b, field) : -1;

        final int trun = IsoBox.require(b, traf + IsoBox.HEADER, trafEnd, "trun");
        IsoBox.require(IsoBox.find(b, trun + IsoBox.size(b, trun, trafEnd), trafEnd, "trun") < 0,
            "one trun per traf");
        IsoBox.require(IsoBox.find(b, traf + IsoBox.HEADER, trafEnd, "senc") < 0, "the segment is already encrypted");
        final int trunEnd = trun + IsoBox.size(b, trun, trafEnd);
        final int trunFlags = (int)(IsoBox.u32(b, trun + IsoBox.HEADER) & 0xFF_FFFF);
        IsoBox.require((trunFlags & TRUN_DATA_OFFSET) != 0, "trun without a data offset");
        final long count = IsoBox.u32(b, trun + IsoBox.FULL_HEADER);
        final int perSample = Integer.bitCount(trunFlags & (TRUN_DURATION | TRUN_SIZE | TRUN_FLAGS | TRUN_CTO)) * 4;
        int sample = trun + IsoBox.FULL_HEADER + 8 + ((trunFlags & TRUN_FIRST_FLAGS) != 0 ? 4 : 0);
        IsoBox.require(perSample > 0 ? count <= (trunEnd - sample) / perSample : count <= 1_000_000,
            "trun sample count " + count + " does not fit the box");
        long dataAt = moof + (int)IsoBox.u32(b, trun + IsoBox.FULL_HEADER + 4);

        ByteBuffer senc = ByteBuffer.allocate((int)count * (CencInit.IV_SIZE + 8) + 64);
        final byte[] infoSizes = new byte[(int)count];
        final int sizeOffset = ((trunFlags & TRUN_DURATION) != 0 ? 4 : 0);
        for (int i = 0; i < count; i++)
        {
            final long size = (trunFlags & TRUN_SIZE) != 0 ? IsoBox.u32(b, sample + sizeOffset) : defaultSize;
            IsoBox.require(size >= 0, "no sample size in trun or tfhd");
            IsoBox.require(dataAt >= 0 && dataAt + size <= b.length, "sample " + i + " lies outside the segment");
            senc = ensure(senc, CencInit.IV_SIZE + 2 + 6 * (int)Math.min(size / 2 + size / MAX_CLEAR + 2, 0x10000));
            final int before = senc.position();
            encryptSample(b, (int)dataAt, (int)size, senc);
            final int infoSize = senc.position() - before;
            IsoBox.require(infoSize <= 0xFF, "too many subsamples in sample " + i);
            infoSizes[i] = (byte)infoSize;
            dataAt += size;
            sample += perSample;
        }
        return assemble(b, traf, trafEnd, trun, count, infoSizes, senc);
    }

    private Traf assemble(final byte[] b, final int traf, final int trafEnd, final int trun, final long count,
        final byte[] infoSizes, final ByteBuffer sencInfo)
    {
        final boolean subsamples = init.nalLengthBytes() > 0;
        final int saizSize = IsoBox.FULL_HEADER + 5 + (subsamples ? (int)count : 0);
        final int saioSize = IsoBox.FULL_HEADER + 8;
        final int sencSize = IsoBox.FULL_HEADER + 4 + sencInfo.position();
        final int oldSize = trafEnd - traf;
        final ByteBuffer out = ByteBuffer.allocate(oldSize + saizSize + saioSize + sencSize);
        out.put(b, traf, oldSize);
        out.putInt(saizSize).put(new byte[] {'s', 'a', 'i', 'z'}).putInt(0)
            .put((byte)(subsamples ? 0 : CencInit.IV_SIZE)).putInt((int)count);
        if (subsamples)
        {
            out.put(infoSizes);
        }
        out.putInt(saioSize).put(new byte[] {'s', 'a', 'i', 'o'}).putInt(0).putInt(1).putInt(0);
        final int saioFieldEnd = out.position();
        out.putInt(sencSize).put(new byte[] {'s', 'e', 'n', 'c'}).putInt(subsamples ? SENC_SUBSAMPLES : 0)
            .putInt((int)count).put(sencInfo.array(), 0, sencInfo.position());
        final byte[] bytes = out.array();
        IsoBox.putU32(bytes, 0, bytes.length);
        return new Traf(bytes, trun - traf, saioFieldEnd);
    }

    private static ByteBuffer ensure(final ByteBuffer buffer, final int room)
    {
        if (buffer.remaining() >= room)
        {
            return buffer;
        }
        final ByteBuffer grown = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + room));
        return grown.put(buffer.array(), 0, buffer.position());
    }

    /** Encrypt one sample in place and append its senc entry (IV, then subsamples for video). */
    private void encryptSample(final byte[] b, final int start, final int size, final ByteBuffer senc)
    {
        final byte[] iv = new byte[CencInit.IV_SIZE];
        random.nextBytes(iv);
        senc.put(iv);
        try
        {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(ByteBuffer.allocate(BLOCK).put(iv).array()));
            if (init.nalLengthBytes() == 0)
            {
                cipher.update(b, start, size, b, start);
                return;
            }
            final int countAt = senc.position();
            senc.putShort((short)0);
            int subsamples = 0;
            int clear = 0;
            int at = start;
            final int end = start + size;
            while (at < end)
            {
                IsoBox.require(at + init.nalLengthBytes() <= end, "truncated NAL length");
                long nal = 0;
                for (int i = 0; i < init.nalLengthBytes(); i++)
                {
                    nal = (nal << 8) | (b[at + i] & 0xFF);
                }
                final int unit = init.nalLengthBytes() + (int)nal;
                IsoBox.require(nal > 0 && at + unit <= end && unit > 0, "NAL unit overruns its sample");
                final int payload = (int)nal - init.nalHeaderBytes();
                final int encrypted = isVideoSlice(b[at + init.nalLengthBytes()]) && payload > 0 ?
                    payload - payload % BLOCK : 0;
                clear += unit - encrypted;
                if (encrypted > 0)
                {
                    while (clear > MAX_CLEAR)
                    {
                        senc.putShort((short)MAX_CLEAR).putInt(0);
                        clear -= MAX_CLEAR;
                        subsamples++;
                    }
                    senc.putShort((short)clear).putInt(encrypted);
                    subsamples++;
                    cipher.update(b, at + unit - encrypted, encrypted, b, at + unit - encrypted);
                    clear = 0;
                }
                at += unit;
            }
            while (clear > 0)
            {
                final int run = Math.min(clear, MAX_CLEAR);
                senc.putShort((short)run).putInt(0);
                clear -= run;
                subsamples++;
            }
            IsoBox.require(subsamples <= 0xFFFF, "too many subsamples");
            senc.putShort(countAt, (short)subsamples);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES-CTR failed: " + ex.getMessage(), ex);
        }
    }

    /** True for coded slice NAL units (H.264 types 1..5; HEVC types 0..31), which are encrypted. */
    private boolean isVideoSlice(final byte header)
    {
        if (init.nalHeaderBytes() == 2)
        {
            return ((header >> 1) & 0x3F) < 32;
        }
        final int type = header & 0x1F;
        return type >= 1 && type <= 5;
    }
}
