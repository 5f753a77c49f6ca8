package io.bifrost.control.placement;

import io.bifrost.control.store.ControlDatabase;
import io.bifrost.control.store.H2TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The content-age contract on the embedded H2 file database, the zero-configuration default.
 */
class H2ContentAgesTest extends ContentAgesContract
{
    @RegisterExtension
    final H2TestDatabase h2 = new H2TestDatabase();

    @Override
    ControlDatabase database()
    {
        return h2.database();
    }

    @Override
    void reopen()
    {
        h2.reopen();
    }
}
