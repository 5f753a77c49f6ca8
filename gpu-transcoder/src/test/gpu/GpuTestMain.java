import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * Runs the JUnit tests of one package on a machine without Maven (the GPU machine of the device tool), printing one
 * line per test (PASS, SKIP with its reason, FAIL with its exception) and a summary. Compiled and packed by
 * java-route.sh; not part of the Maven build.
 * <p>
 * Exit status: 0 when tests ran and none failed or went without a device; 1 when a test failed; 3 when a test was
 * skipped for want of a CUDA device (the GPU was not verified).
 */
public final class GpuTestMain
{
    private GpuTestMain()
    {
    }

    public static void main(final String[] args)
    {
        final String pkg = args.length > 0 ? args[0] : "io.bifrost.transcoder.cuda";
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger withoutDevice = new AtomicInteger();
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectPackage(pkg)).build();
        final Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener()
        {
            @Override
            public void executionSkipped(final TestIdentifier test, final String reason)
            {
                if (test.isTest() || test.isContainer() && test.getSource().isPresent())
                {
                    skipped.incrementAndGet();
                    System.out.println("SKIP " + test.getLegacyReportingName() + ": " + reason);
                }
            }

            @Override
            public void executionFinished(final TestIdentifier test, final TestExecutionResult result)
            {
                if (!test.isTest())
                {
                    if (result.getStatus() == TestExecutionResult.Status.FAILED)
                    {
                        failed.incrementAndGet();
                        System.out.println("FAIL " + test.getLegacyReportingName() + ": " +
                            result.getThrowable().map(Throwable::toString).orElse("?"));
                    }
                    return;
                }
                switch (result.getStatus())
                {
                    case SUCCESSFUL ->
                    {
                        passed.incrementAndGet();
                        System.out.println("PASS " + test.getUniqueId());
                    }
                    case ABORTED ->
                    {
                        skipped.incrementAndGet();
                        final String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
                        if (reason.contains("no CUDA device"))
                        {
                            withoutDevice.incrementAndGet();
                        }
                        System.out.println("SKIP " + test.getUniqueId() + ": " + reason);
                    }
                    case FAILED ->
                    {
                        failed.incrementAndGet();
                        System.out.println("FAIL " + test.getUniqueId());
                        result.getThrowable().ifPresent(ex -> ex.printStackTrace(System.out));
                    }
                }
            }
        });
        System.out.printf("%s: %d passed, %d failed, %d skipped (%d for want of a CUDA device)%n", pkg, passed.get(),
            failed.get(), skipped.get(), withoutDevice.get());
        System.exit(failed.get() > 0 ? 1 : withoutDevice.get() > 0 || passed.get() == 0 ? 3 : 0);
    }
}
