package io.bifrost.edge.fill;

/**
 * How an edge reaches its origin(s): start fetching a fill's path and report progress to the fill
 * ({@link OriginFill#head}, {@link OriginFill#content}, then {@link OriginFill#complete} or {@link OriginFill#fail}).
 * {@link OriginClient} is the HTTP implementation; the interface keeps the edge testable against any origin.
 */
@FunctionalInterface
public interface OriginFetcher
{
    /**
     * @param fill the fill to feed; must end (complete or fail) eventually, whatever the origin does.
     */
    void fetch(OriginFill fill);
}
