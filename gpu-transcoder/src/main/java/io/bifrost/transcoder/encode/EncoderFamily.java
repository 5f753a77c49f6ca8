package io.bifrost.transcoder.encode;

/**
 * Which encoders the H.264 and HEVC renditions use. VP9 and AV1 are always encoded in software.
 */
public enum EncoderFamily
{
    /** libx264 / libx265 on the CPU. */
    SOFTWARE,
    /**
     * h264_nvenc / hevc_nvenc (only where {@code NvencProbe} proved they work): VBR at the same rates and VBV as the
     * software encoders, closed GOPs of the same length, IDR frames forced at every segment boundary and no scene-cut
     * keyframes, so segments stay aligned across renditions.
     */
    NVENC
}
