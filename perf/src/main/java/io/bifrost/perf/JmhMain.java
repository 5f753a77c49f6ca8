package io.bifrost.perf;

import io.bifrost.launcher.BuildInfo;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH benchmarks with the JVM flags every Bifrost JVM uses (the launcher's {@code bifrost-jvm.options}, defined
 * once in the parent POM), so forks see the same runtime as production. Accepts JMH's usual command line, e.g.
 * {@code LivePartCodec -f 1 -wi 3 -i 5}. See BENCHMARKS.md for how results are recorded.
 */
public final class JmhMain
{
    private JmhMain()
    {
    }

    /**
     * @param args JMH command-line options.
     * @throws RunnerException when a benchmark fails.
     * @throws CommandLineOptionException on bad options.
     */
    public static void main(final String[] args) throws RunnerException, CommandLineOptionException
    {
        final Options options = forkOptions(new CommandLineOptions(args));
        new Runner(options).run();
    }

    /**
     * @param base parsed command-line options.
     * @return the options with Bifrost's JVM flags appended to every fork.
     */
    static Options forkOptions(final Options base)
    {
        return new OptionsBuilder().parent(base)
            .jvmArgsAppend(BuildInfo.jvmFlags().toArray(String[]::new))
            .build();
    }
}
