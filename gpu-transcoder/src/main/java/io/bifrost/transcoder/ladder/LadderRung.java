package io.bifrost.transcoder.ladder;

/**
 * The seed's quality levels (PRODUCT-BRIEF section 4): the box each rendition fits in (landscape; portrait sources
 * use the box turned on its side) and the H.264 target bitrate.
 */
public enum LadderRung
{
    /** 426x240, 500 kbit/s. */
    P240("240p", 426, 240, 500_000),
    /** 640x360, 1 Mbit/s. */
    P360("360p", 640, 360, 1_000_000),
    /** 854x480, 2.5 Mbit/s. */
    P480("480p", 854, 480, 2_500_000),
    /** 1280x720, 5 Mbit/s. */
    P720("720p", 1280, 720, 5_000_000),
    /** 1920x1080, 8 Mbit/s. */
    P1080("1080p", 1920, 1080, 8_000_000),
    /** 2560x1440, 16 Mbit/s. */
    P1440("1440p", 2560, 1440, 16_000_000),
    /** 3840x2160, 25 Mbit/s. */
    P2160("2160p", 3840, 2160, 25_000_000);

    private final String label;
    private final int longSide;
    private final int shortSide;
    private final long bitrateBps;

    LadderRung(final String label, final int longSide, final int shortSide, final long bitrateBps)
    {
        this.label = label;
        this.longSide = longSide;
        this.shortSide = shortSide;
        this.bitrateBps = bitrateBps;
    }

    /**
     * @return the name, e.g. {@code 720p} (also the H.264 rendition's folder).
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the long side of the box in pixels (the width of a landscape rendition).
     */
    public int longSide()
    {
        return longSide;
    }

    /**
     * @return the short side of the box in pixels (the "p" number).
     */
    public int shortSide()
    {
        return shortSide;
    }

    /**
     * @return the H.264 target bitrate in bits per second.
     */
    public long bitrateBps()
    {
        return bitrateBps;
    }
}
