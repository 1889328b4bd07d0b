package org.fenghuo.jobs.common;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/** A watermark output for generator tests: keeps every watermark emitted. */
public final class RecordedWatermarks implements WatermarkOutput {
    public final List<Long> emitted = new ArrayList<>();

    @Override public void emitWatermark(Watermark w) { emitted.add(w.getTimestamp()); }
    /** How often the generator declared its output idle. */
    public int idleMarks;

    @Override public void markIdle() { idleMarks++; }
    @Override public void markActive() { }

    /** The newest watermark emitted, or {@link Long#MIN_VALUE} before the first. */
    public long last() {
        return emitted.isEmpty() ? Long.MIN_VALUE : emitted.get(emitted.size() - 1);
    }
}
