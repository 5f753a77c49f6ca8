package io.bifrost.perf.transcode;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuTimesTest
{
    @Test
    void shouldReadOwnAndChildrenTimesAfterACommandNameWithSpacesAndParentheses()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        final String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 1200 300 20 0 31 0\n";

        final CpuTimes times = CpuTimes.parse(stat, 100);

        assertThat(times.selfNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3000));
        assertThat(times.childrenNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(15_000));
    }

    @Test
    void shouldRejectTextThatIsNotAStatLine()
    {
        assertThatThrownBy(() -> CpuTimes.parse("hello world", 100))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a /proc stat line");
        assertThatThrownBy(() -> CpuTimes.parse("1 (x) S 1 2", 100))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fields after comm");
        assertThatThrownBy(() -> CpuTimes.parse("1 (x) S 1 1 1 0 -1 0 0 0 0 0 a b c d", 100))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a /proc stat line");
    }

    @Test
    void shouldCountTheCpuTimeOfAReapedChild() throws Exception
    {
        final CpuTimes before = CpuTimes.now();
        // a busy loop of a few hundred milliseconds of CPU: far above the 10 ms tick whatever the machine's load
        final Process child = new ProcessBuilder("sh", "-c",
            "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").inheritIO().start();
        assertThat(child.waitFor()).isZero();

        final CpuTimes spent = CpuTimes.now().since(before);

        assertThat(spent.childrenNanos()).isPositive();
    }
}
