package io.bifrost.launcher;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a role started earlier in this process offers the roles started after it, by type: the origin publishes its
 * live packager ({@code LiveStreams}) so that the ingest role of the same process feeds published streams into it.
 * Roles in separate processes never see each other here (they speak HTTP and Aeron). Thread-safe.
 */
public final class ProcessServices
{
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

    /**
     * @param type    what the service is known as.
     * @param service the service; replaces an earlier one of the same type.
     * @param <T>     the type.
     */
    public <T> void publish(final Class<T> type, final T service)
    {
        services.put(type, Objects.requireNonNull(service));
    }

    /**
     * @param type the service type.
     * @param <T>  the type.
     * @return the service, or null when no role of this process offers it.
     */
    public <T> T find(final Class<T> type)
    {
        return type.cast(services.get(type));
    }

    /**
     * @param type the service type to withdraw (its role stopped).
     */
    public void withdraw(final Class<?> type)
    {
        services.remove(type);
    }
}
