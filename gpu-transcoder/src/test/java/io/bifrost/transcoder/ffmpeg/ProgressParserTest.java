package io.bifrost.transcoder.ffmpeg;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressParserTest
{
    @Test
    void shouldReportPercentFpsAndSpeedPerProgressBlock()
    {
        final List<TranscodeProgress> reports = new ArrayList<>();
        final ProgressParser parser = new ProgressParser(8.0, reports::add);
        for (final String line : ("frame=50\nfps=49.50\nstream_0_0_q=28.0\nbitrate=N/A\ntotal_size=N/A\n" +
            "out_time_us=2000000\nout_time_ms=2000000\nout_time=00:00:02.000000\ndup_frames=0\ndrop_frames=0\n" +
            "speed=1.98x\nprogress=continue\n" +
            "frame=200\nfps=60.0\nout_time_us=8016000\nspeed=2.5x\nprogress=end\n").split("\n"))
        {
            parser.onLine(line);
        }

        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).isEqualTo(new TranscodeProgress(2_000_000, 25.0, 49.5, 1.98, 50, false));
        assertThat(reports.get(1).percent()).isEqualTo(100.0);
        assertThat(reports.get(1).done()).isTrue();
        assertThat(reports.get(1).frame()).isEqualTo(200);
    }

    @Test
    void shouldIgnoreUnreadableValuesAndGarbage()
    {
        final List<TranscodeProgress> reports = new ArrayList<>();
        final ProgressParser parser = new ProgressParser(10.0, reports::add);
        for (final String line : new String[]{ "out_time_us=N/A", "out_time_us=-9223372036854775807", "speed=N/A",
            "fps=nan", "garbage", "=x", "frame=abc", "progress=continue" })
        {
            parser.onLine(line);
        }

        assertThat(reports).containsExactly(new TranscodeProgress(0, 0.0, 0.0, 0.0, 0, false));
    }

    @Test
    void shouldSurviveAListenerThatThrows()
    {
        final List<TranscodeProgress> reports = new ArrayList<>();
        final ProgressParser parser = new ProgressParser(4.0, progress ->
        {
            reports.add(progress);
            throw new IllegalStateException("listener bug");
        });
        parser.onLine("out_time_us=1000000");
        parser.onLine("progress=continue");
        parser.onLine("out_time_us=2000000");
        parser.onLine("progress=continue");

        assertThat(reports).extracting(TranscodeProgress::percent).containsExactly(25.0, 50.0);
        assertThat(parser.outTimeMicros()).isEqualTo(2_000_000);
    }

    @Test
    void shouldNotExceedHundredPercentBeforeTheEnd()
    {
        final List<TranscodeProgress> reports = new ArrayList<>();
        final ProgressParser parser = new ProgressParser(1.0, reports::add);
        parser.onLine("out_time_us=1500000");
        parser.onLine("progress=continue");

        assertThat(reports.get(0).percent()).isEqualTo(100.0);
        assertThat(reports.get(0).done()).isFalse();
    }
}
