package io.bifrost.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.bifrost.control.http.Access;
import io.bifrost.control.http.Route;
import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.stream.JdbcStreamRepository;
import io.bifrost.control.stream.StreamKeys;
import io.bifrost.control.stream.StreamRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI file (src/main/resources/openapi.yaml, shipped in the jar) and the route table agree: every registered
 * route is documented with its method, every documented path and method is served, and each operation's security
 * says who may call it (adminToken for operator routes, ingestToken for internal ones, none for open ones).
 */
class OpenApiContractTest
{
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TempDir
    Path dir;

    @Test
    void shouldDocumentEveryRouteTheControlPlaneServesAndNothingElse() throws Exception
    {
        final JsonNode spec;
        try (InputStream yaml = ControlPlane.class.getResourceAsStream("/openapi.yaml"))
        {
            assertThat(yaml).as("openapi.yaml on the classpath").isNotNull();
            spec = new YAMLMapper().readTree(yaml);
        }
        assertThat(spec.path("openapi").asText()).startsWith("3.");

        final Map<String, String> documented = new TreeMap<>();
        for (final Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields(); paths.hasNext(); )
        {
            final Map.Entry<String, JsonNode> path = paths.next();
            for (final Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); )
            {
                final Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey()))
                {
                    documented.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), security(op.getValue()));
                }
            }
        }

        final Map<String, String> served = new TreeMap<>();
        try (ControlDatabase database = ControlDatabase.open(ControlDatabase.embeddedUrl(dir), 2))
        {
            final SimpleMeterRegistry meters = new SimpleMeterRegistry();
            final ControlPlane.Context context = new ControlPlane.Context().dataDir(dir).meterRegistry(meters).conclude();
            final StreamRegistry streams = new StreamRegistry(new JdbcStreamRepository(database),
                new StreamKeys(new SecureRandom()), Clock.systemUTC(), meters);
            for (final Route route : ControlPlane.router(context, streams, database).routes())
            {
                served.put(route.method().name() + " " + route.template(), scheme(route.access()));
            }
        }

        final Set<String> undocumented = new TreeSet<>(served.keySet());
        undocumented.removeAll(documented.keySet());
        final Set<String> unserved = new TreeSet<>(documented.keySet());
        unserved.removeAll(served.keySet());
        assertThat(undocumented).as("routes missing from openapi.yaml").isEmpty();
        assertThat(unserved).as("openapi.yaml paths no route serves").isEmpty();
        assertThat(documented).as("security of each operation (adminToken, ingestToken or none)").isEqualTo(served);
    }

    private static String security(final JsonNode operation)
    {
        final JsonNode security = operation.path("security");
        if (!security.isArray() || security.isEmpty())
        {
            return "none";
        }
        return security.get(0).fieldNames().next();
    }

    private static String scheme(final Access access)
    {
        return switch (access)
        {
            case OPEN -> "none";
            case OPERATOR -> "adminToken";
            case INTERNAL -> "ingestToken";
        };
    }
}
