package io.bifrost.ingest.rtmp.flv;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampExtenderTest
{
    @Test
    void shouldCarryTimestampsPastTheWrapAndKeepLateOnesBeforeIt()
    {
        final TimestampExtender extender = new TimestampExtender();
        assertThat(extender.extend(0xFFFF_FF00L)).isEqualTo(0xFFFF_FF00L);
        assertThat(extender.extend(0x0000_0010L)).isEqualTo(0x1_0000_0010L);
        assertThat(extender.extend(0xFFFF_FFF0L)).as("late, from before the wrap").isEqualTo(0xFFFF_FFF0L);
        assertThat(extender.extend(0x0000_0020L)).isEqualTo(0x1_0000_0020L);
    }

    @Test
    void shouldKeepSmallStepsBackAsTheyAre()
    {
        final TimestampExtender extender = new TimestampExtender();
        assertThat(extender.extend(1000)).isEqualTo(1000);
        assertThat(extender.extend(980)).isEqualTo(980);
        assertThat(extender.extend(1020)).isEqualTo(1020);
    }
}
