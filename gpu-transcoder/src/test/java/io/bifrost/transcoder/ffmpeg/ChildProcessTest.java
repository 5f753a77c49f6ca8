package io.bifrost.transcoder.ffmpeg;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildProcessTest
{
    private static ChildProcess sh(final String script) throws TranscodeException
    {
        return ChildProcess.start(List.of("/bin/sh", "-c", script), null,
            in -> in.transferTo(OutputStream.nullOutputStream()));
    }

    @Test
    void shouldTurnANonZeroExitIntoAnErrorQuotingTheLastStderrLines() throws Exception
    {
        try (ChildProcess process = sh("for i in $(seq 1 100); do echo noise $i >&2; done; " +
            "echo 'input.mp4: Invalid data found when processing input' >&2; exit 3"))
        {
            assertThatThrownBy(() -> process.awaitSuccess(Duration.ofSeconds(10)))
                .isInstanceOf(TranscodeException.class)
                .hasMessageContaining("sh failed: exit code 3")
                .hasMessageContaining("Invalid data found when processing input")
                .hasMessageNotContaining("noise 50");
        }
    }

    @Test
    void shouldKillAProcessThatOutlivesItsDeadline() throws Exception
    {
        final long start = System.nanoTime();
        try (ChildProcess process = sh("echo started >&2; exec sleep 30"))
        {
            assertThatThrownBy(() -> process.awaitSuccess(Duration.ofMillis(300)))
                .isInstanceOf(TranscodeException.class)
                .hasMessageContaining("ran longer than");
            assertThat(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void shouldKeepDrainingStdoutWhenTheConsumerFails() throws Exception
    {
        // 8 MB of stdout: far more than a pipe holds, so the child only exits if stdout is still drained
        try (ChildProcess process = ChildProcess.start(List.of("/bin/sh", "-c", "head -c 8000000 /dev/zero"), null,
            in ->
            {
                throw new IllegalStateException("consumer broke");
            }))
        {
            assertThatThrownBy(() -> process.awaitSuccess(Duration.ofSeconds(20)))
                .isInstanceOf(TranscodeException.class)
                .hasMessageContaining("output could not be read")
                .hasMessageContaining("consumer broke");
        }
    }

    @Test
    void shouldKillTheProcessOnClose() throws Exception
    {
        final long pid;
        try (ChildProcess process = sh("exec sleep 30"))
        {
            pid = process.pid();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void shouldExplainAMissingExecutable()
    {
        assertThatThrownBy(() -> ChildProcess.start(List.of("/nonexistent/ffmpeg", "-version"), null, in -> { }))
            .isInstanceOf(TranscodeException.class)
            .hasMessageContaining("ffmpeg could not be started");
    }

    @Test
    void shouldDescribeDeathBySignal()
    {
        assertThat(ChildProcess.describeExit(137)).contains("signal 9", "SIGKILL");
        assertThat(ChildProcess.describeExit(1)).isEqualTo("exit code 1");
    }

    @Test
    void stderrTailShouldKeepTheLastMeaningfulLinesOnly()
    {
        final StderrTail tail = new StderrTail(2);
        tail.append("first");
        tail.append("");
        tail.append("second");
        tail.append("x".repeat(1000));
        tail.append("Conversion failed!");

        assertThat(tail.lines()).hasSize(2);
        assertThat(tail.lines().get(0)).isEqualTo("second");
        assertThat(tail.lines().get(1)).hasSize(StderrTail.MAX_LINE_CHARS + 5).endsWith("[...]");
        assertThat(new StderrTail(3).summary()).isEqualTo("(no error output)");
    }
}
