package io.bifrost.perf.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The split harness end to end at a tiny size: a real edge fed over aeron:ipc in this JVM, the viewers in a second
 * JVM started by the harness; every viewer must get its 200 after the publish.
 */
class HeldRequestsHarnessTest
{
    @ParameterizedTest
    @ValueSource(strings = {"playlist", "part"})
    void shouldAnswerEveryViewerOfTheSeparateProcessWhenThePartIsPublished(final String mode) throws Exception
    {
        final String out = run("--viewers", "20", "--rounds", "2", "--warmup", "1", "--io-threads", "1", "--mode", mode,
            "--part-bytes", "5000");

        assertThat(out).contains("viewers # viewers: 20 connections");
        assertThat(out).containsPattern("round 1: held 20, ok=20 failed=0");
        assertThat(out).containsPattern("round 2: held 20, ok=20 failed=0");
        assertThat(out).containsPattern("all measured rounds \\(" + mode + " mode, 20 viewers, edge 1 io threads\\): n=40 ");
        assertThat(out).containsPattern("edge: 60 woken in \\d+ event-loop tasks \\(\\d+ chunks\\), 60 answered with " +
            "the shared response \\(60 of them pre-encoded\\)");
        assertThat(out).as("one edge delivery sample per event loop's batch: one loop, two measured rounds")
            .containsPattern("edge's own delivery, measured rounds \\(bifrost.edge.live.held.delivery\\{kind=" + mode +
                "\\}, [^)]*\\): n=2 ");
        assertThat(out).containsPattern("edge event loops' CPU in the measured rounds: [0-9.]+ us per held request " +
            "\\(read, decode, hold\\), [0-9.]+ us per woken answer");
    }

    @Test
    void shouldAnswerThroughTheHttpCodecWhenEncodedAnswersAreOff() throws Exception
    {
        final String out = run("--viewers", "20", "--rounds", "1", "--warmup", "1", "--io-threads", "1",
            "--encoded", "false", "--io-uring-ring-size", "256", "--io-uring-cq-size", "1024");

        assertThat(out).contains("encoded answers false, io_uring ring 256/1024");
        assertThat(out).containsPattern("round 1: held 20, ok=20 failed=0");
        assertThat(out).containsPattern("edge: 40 woken in \\d+ event-loop tasks \\(\\d+ chunks\\), 40 answered with " +
            "the shared response \\(0 of them pre-encoded\\)");
    }

    @Test
    void shouldRefuseAnUnknownMode()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeldRequestsHarness.main(new String[]{"--mode", "x"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mode");
    }

    private static String run(final String... args) throws Exception
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            HeldRequestsHarness.main(args);
        }
        finally
        {
            System.setOut(original);
        }
        final String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
