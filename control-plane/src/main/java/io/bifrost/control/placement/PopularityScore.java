package io.bifrost.control.placement;

/**
 * The seed's popularity score (PRODUCT-BRIEF, {@code calculatePopularityScore}) and the temperature it maps to.
 * <pre>
 * score = viewsPerHour x exp(-ageHours / decayHours) x (1 + (regionalEngagement - 0.5) x 0.5) x trendingBoost
 * trendingBoost = 1.3 when growth &gt; 1.5, else 1
 * </pre>
 * Units and inputs, as Bifrost computes them from edge telemetry for one content in one region:
 * <ul>
 *   <li>{@code viewsPerHour}: views (player sessions started, counted by edges as distinct viewers new in a window)
 *   of the content in the region over the last hour.</li>
 *   <li>{@code ageHours}: hours since the content was published (VOD) or went live (live stream); negative is 0.</li>
 *   <li>{@code regionalEngagement} in [0, 1]: how much more the region watches this content than the average
 *   content, {@link #regionalEngagement(double, double, double, double)}: 0.5 for a region that watches it exactly as
 *   much as everything else, towards 1 where it is the region's favourite, towards 0 where the region ignores it.</li>
 *   <li>{@code growth}: {@link #growth(double, double)}, views over the last hour against the hour before.</li>
 * </ul>
 * Thresholds: {@link Temperature#HOT} at or above {@code hotScore} (seed 1000), {@link Temperature#WARM} at or above
 * {@code warmScore} (seed 100), {@link Temperature#COLD} below. Immutable and thread-safe.
 */
public final class PopularityScore
{
    /** The seed's hot threshold, views per hour. */
    public static final double SEED_HOT = 1000;
    /** The seed's warm threshold, views per hour. */
    public static final double SEED_WARM = 100;
    /** The seed's time-decay constant: exp(-age / 168 h). */
    public static final double SEED_DECAY_HOURS = 168;
    /** Growth above which the trending boost applies (50 % more views than the previous hour). */
    public static final double TRENDING_GROWTH = 1.5;
    /** The trending boost. */
    public static final double TRENDING_BOOST = 1.3;

    private final double hotScore;
    private final double warmScore;
    private final double decayHours;

    /**
     * The seed's constants: hot 1000, warm 100, decay 168 h.
     */
    public PopularityScore()
    {
        this(SEED_HOT, SEED_WARM, SEED_DECAY_HOURS);
    }

    /**
     * @param hotScore   score at or above which content is hot; positive.
     * @param warmScore  score at or above which content is warm; positive, at most {@code hotScore}.
     * @param decayHours time-decay constant in hours; positive.
     */
    public PopularityScore(final double hotScore, final double warmScore, final double decayHours)
    {
        if (!(warmScore > 0) || !(hotScore >= warmScore) || Double.isInfinite(hotScore))
        {
            throw new IllegalArgumentException(
                "placement thresholds need 0 < warm <= hot, got warm " + warmScore + " hot " + hotScore);
        }
        if (!(decayHours > 0))
        {
            throw new IllegalArgumentException("placement decay hours must be positive, got " + decayHours);
        }
        this.hotScore = hotScore;
        this.warmScore = warmScore;
        this.decayHours = decayHours;
    }

    /**
     * @param viewsPerHour       views in the region over the last hour; negative or NaN counts as 0.
     * @param ageHours           hours since publication; negative counts as 0.
     * @param regionalEngagement in [0, 1] (clamped); 0.5 is neutral.
     * @param growth             views last hour / views the hour before; see {@link #growth(double, double)}.
     * @return the score, 0 or more.
     */
    public double score(
        final double viewsPerHour, final double ageHours, final double regionalEngagement, final double growth)
    {
        final double views = viewsPerHour > 0 ? viewsPerHour : 0;
        final double age = ageHours > 0 ? ageHours : 0;
        final double engagement = Math.clamp(Double.isNaN(regionalEngagement) ? 0.5 : regionalEngagement, 0.0, 1.0);
        final double regionalBoost = 1 + (engagement - 0.5) * 0.5;
        final double trendingBoost = growth > TRENDING_GROWTH ? TRENDING_BOOST : 1.0;
        return views * Math.exp(-age / decayHours) * regionalBoost * trendingBoost;
    }

    /**
     * @param score a score from {@link #score(double, double, double, double)}.
     * @return its temperature.
     */
    public Temperature temperature(final double score)
    {
        if (score >= hotScore)
        {
            return Temperature.HOT;
        }
        return score >= warmScore ? Temperature.WARM : Temperature.COLD;
    }

    /**
     * @return the hot threshold.
     */
    public double hotScore()
    {
        return hotScore;
    }

    /**
     * @return the warm threshold.
     */
    public double warmScore()
    {
        return warmScore;
    }

    /**
     * Growth, smoothed so that a first view is not infinite growth: {@code (viewsNow + 1) / (viewsBefore + 1)}.
     *
     * @param viewsNow    views in the latest window (e.g. the last hour).
     * @param viewsBefore views in the window of the same length before it.
     * @return the growth factor; 1 when both are 0.
     */
    public static double growth(final double viewsNow, final double viewsBefore)
    {
        return (Math.max(0, viewsNow) + 1) / (Math.max(0, viewsBefore) + 1);
    }

    /**
     * Regional engagement in [0, 1]: with {@code affinity} = (the region's share of the content's views) / (the
     * region's share of all views), engagement = affinity / (1 + affinity). A region that watches the content as much
     * as it watches everything else scores 0.5.
     *
     * @param contentViewsInRegion views of the content in the region.
     * @param contentViewsTotal    views of the content in every region.
     * @param allViewsInRegion     views of every content in the region.
     * @param allViewsTotal        views of every content in every region.
     * @return engagement in [0, 1]; 0.5 when any total is 0.
     */
    public static double regionalEngagement(
        final double contentViewsInRegion, final double contentViewsTotal,
        final double allViewsInRegion, final double allViewsTotal)
    {
        if (!(contentViewsTotal > 0) || !(allViewsInRegion > 0) || !(allViewsTotal > 0))
        {
            return 0.5;
        }
        final double affinity = (Math.max(0, contentViewsInRegion) / contentViewsTotal) /
            (allViewsInRegion / allViewsTotal);
        return affinity / (1 + affinity);
    }
}
