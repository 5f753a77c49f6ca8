package io.bifrost.origin.live.passthrough;

import java.util.Arrays;

/**
 * Reads the picture size from an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1): emulation prevention bytes
 * removed, every field range-checked, cropping applied. Stateless.
 */
final class AvcSps
{
    /** Profiles whose SPS carries chroma format, bit depths and scaling matrices (7.3.2.1.1). */
    private static final int[] HIGH_PROFILES = { 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 };

    private AvcSps()
    {
    }

    /**
     * @param data   the bytes.
     * @param offset where the NAL unit (its header byte) starts.
     * @param length the NAL unit's length.
     * @return {width, height} in pixels.
     * @throws MediaFormatException when it is not a usable SPS.
     */
    static int[] pictureSize(final byte[] data, final int offset, final int length)
    {
        if (length < 4)
        {
            throw new MediaFormatException("H.264 sequence parameter set of " + length + " bytes is too short");
        }
        if ((data[offset] & 0x1F) != AvcDecoderConfig.NAL_SPS)
        {
            throw new MediaFormatException("AVC sequence header: first parameter set is NAL type " +
                (data[offset] & 0x1F) + ", not a sequence parameter set");
        }
        final byte[] rbsp = unescape(data, offset + 1, length - 1);
        final BitReader in = new BitReader(rbsp, 0, rbsp.length, "H.264 sequence parameter set");
        final int profile = in.bits(8);
        in.bits(16); // constraint flags, reserved, level_idc
        in.ue(31, "seq_parameter_set_id");
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (isHighProfile(profile))
        {
            chromaFormat = in.ue(3, "chroma_format_idc");
            if (3 == chromaFormat)
            {
                separateColourPlanes = in.flag();
            }
            in.ue(6, "bit_depth_luma_minus8");
            in.ue(6, "bit_depth_chroma_minus8");
            in.flag(); // qpprime_y_zero_transform_bypass_flag
            if (in.flag()) // seq_scaling_matrix_present_flag
            {
                final int lists = 3 != chromaFormat ? 8 : 12;
                for (int i = 0; i < lists; i++)
                {
                    if (in.flag())
                    {
                        skipScalingList(in, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        in.ue(12, "log2_max_frame_num_minus4");
        final int pocType = in.ue(2, "pic_order_cnt_type");
        if (0 == pocType)
        {
            in.ue(12, "log2_max_pic_order_cnt_lsb_minus4");
        }
        else if (1 == pocType)
        {
            in.flag();
            in.se();
            in.se();
            final int cycle = in.ue(255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (int i = 0; i < cycle; i++)
            {
                in.se();
            }
        }
        in.ue(32, "max_num_ref_frames");
        in.flag(); // gaps_in_frame_num_value_allowed_flag
        final int widthMbs = in.ue(AvcDecoderConfig.MAX_SIDE / 16, "pic_width_in_mbs_minus1") + 1;
        final int heightMapUnits = in.ue(AvcDecoderConfig.MAX_SIDE / 16, "pic_height_in_map_units_minus1") + 1;
        final boolean frameMbsOnly = in.flag();
        if (!frameMbsOnly)
        {
            in.flag(); // mb_adaptive_frame_field_flag
        }
        in.flag(); // direct_8x8_inference_flag
        int width = widthMbs * 16;
        int height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        if (in.flag()) // frame_cropping_flag
        {
            final int arrayType = separateColourPlanes ? 0 : chromaFormat;
            final int cropUnitX = 0 == arrayType || 3 == arrayType ? 1 : 2;
            final int cropUnitY = (1 == arrayType ? 2 : 1) * (frameMbsOnly ? 1 : 2);
            final int left = in.ue(AvcDecoderConfig.MAX_SIDE, "frame_crop_left_offset");
            final int right = in.ue(AvcDecoderConfig.MAX_SIDE, "frame_crop_right_offset");
            final int top = in.ue(AvcDecoderConfig.MAX_SIDE, "frame_crop_top_offset");
            final int bottom = in.ue(AvcDecoderConfig.MAX_SIDE, "frame_crop_bottom_offset");
            width -= cropUnitX * (left + right);
            height -= cropUnitY * (top + bottom);
        }
        if (width <= 0 || height <= 0 || width > AvcDecoderConfig.MAX_SIDE || height > AvcDecoderConfig.MAX_SIDE)
        {
            throw new MediaFormatException("H.264 sequence parameter set describes a " + width + "x" + height +
                " picture");
        }
        return new int[]{ width, height };
    }

    private static boolean isHighProfile(final int profile)
    {
        for (final int high : HIGH_PROFILES)
        {
            if (high == profile)
            {
                return true;
            }
        }
        return false;
    }

    private static void skipScalingList(final BitReader in, final int size)
    {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size; j++)
        {
            if (0 != next)
            {
                final int delta = in.se();
                if (delta < -128 || delta > 127)
                {
                    throw new MediaFormatException("H.264 sequence parameter set: delta_scale " + delta +
                        " outside -128..127");
                }
                next = (last + delta + 256) % 256;
            }
            last = 0 == next ? last : next;
        }
    }

    /** Drops each emulation prevention byte (0x03 after 0x00 0x00, H.264 7.4.1). */
    static byte[] unescape(final byte[] data, final int offset, final int length)
    {
        final byte[] out = new byte[length];
        int count = 0;
        int zeros = 0;
        for (int i = offset; i < offset + length; i++)
        {
            final byte b = data[i];
            if (2 == zeros && 3 == b)
            {
                zeros = 0;
                continue;
            }
            out[count++] = b;
            zeros = 0 == b ? zeros + 1 : 0;
        }
        return count == length ? out : Arrays.copyOf(out, count);
    }
}
