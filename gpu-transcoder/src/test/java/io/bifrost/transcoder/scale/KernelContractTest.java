package io.bifrost.transcoder.scale;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job table layout is defined twice, in {@link ScaleJobTable} and as {@code #define}s in the kernel source; this
 * keeps them equal.
 */
class KernelContractTest
{
    private static final Pattern DEFINE = Pattern.compile("^#define (\\w+) (\\d+)u?$", Pattern.MULTILINE);

    @Test
    void shouldLayOutTheJobTableAsTheKernelReadsIt() throws Exception
    {
        final Map<String, Integer> kernel = new HashMap<>();
        final Matcher m = DEFINE.matcher(Files.readString(Path.of("src/main/cuda/ladder_scale.cu")));
        while (m.find())
        {
            kernel.put(m.group(1), (int)Long.parseLong(m.group(2)));
        }

        assertThat(kernel).containsEntry("JOB_INTS", ScaleJobTable.JOB_INTS)
            .containsEntry("MAX_JOBS", ScaleJobTable.MAX_JOBS)
            .containsEntry("JOB_SRC_OFFSET", ScaleJobTable.SRC_OFFSET)
            .containsEntry("JOB_SRC_PITCH", ScaleJobTable.SRC_PITCH)
            .containsEntry("JOB_SRC_STEP", ScaleJobTable.SRC_STEP)
            .containsEntry("JOB_DST_OFFSET", ScaleJobTable.DST_OFFSET)
            .containsEntry("JOB_DST_PITCH", ScaleJobTable.DST_PITCH)
            .containsEntry("JOB_DST_STEP", ScaleJobTable.DST_STEP)
            .containsEntry("JOB_DST_WIDTH", ScaleJobTable.DST_WIDTH)
            .containsEntry("JOB_DST_HEIGHT", ScaleJobTable.DST_HEIGHT)
            .containsEntry("JOB_X_NUM", ScaleJobTable.X_NUM)
            .containsEntry("JOB_X_DEN", ScaleJobTable.X_DEN)
            .containsEntry("JOB_Y_NUM", ScaleJobTable.Y_NUM)
            .containsEntry("JOB_Y_DEN", ScaleJobTable.Y_DEN)
            .containsEntry("JOB_FIRST_THREAD", ScaleJobTable.FIRST_THREAD);
    }
}
