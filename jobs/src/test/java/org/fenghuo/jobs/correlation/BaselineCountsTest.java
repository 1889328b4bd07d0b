package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class BaselineCountsTest {

    private static BaselineCounts sample() {
        BaselineCounts c = new BaselineCounts();
        c.firstPeriod = 20_500;
        c.sealed.put(20_500L, new HashMap<>(Map.of("DISPUTE", 3, "OTHER", 1)));
        c.sealed.put(20_501L, new HashMap<>());
        c.open.put(20_530L, new HashMap<>(Map.of("纠纷", 7)));
        return c;
    }

    private static BaselineCounts roundTrip(TypeSerializer<BaselineCounts> s, BaselineCounts c) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(c, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        BaselineCounts back = s.deserialize(in);
        assertThat(in.available()).isZero();
        return back;
    }

    @Test
    void countsSurviveTheRoundTripAndTheSerializersSnapshot() throws Exception {
        BaselineCounts back = roundTrip(BaselineCounts.Serializer.INSTANCE, sample());
        assertThat(back.firstPeriod).isEqualTo(20_500);
        assertThat(back.sealed).isEqualTo(sample().sealed);
        assertThat(back.open).isEqualTo(sample().open);
        assertThat(back.count(20_500, "DISPUTE")).isEqualTo(3);
        assertThat(back.count(20_530, "纠纷")).isEqualTo(7);
        assertThat(back.count(20_529, "纠纷")).isZero();

        // a checkpoint's serializer snapshot, written and read back, restores a serializer that reads the same bytes
        TypeSerializerSnapshot<BaselineCounts> snapshot = BaselineCounts.Serializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<BaselineCounts> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.resolveSchemaCompatibility(snapshot).isCompatibleAsIs()).isTrue();
        assertThat(roundTrip(read.restoreSerializer(), sample()).open).isEqualTo(sample().open);
    }

    @Test
    void aCopyIsDeepSoThatTheHeapBackendsSnapshotIsNotChangedByLaterRecords() {
        BaselineCounts original = sample();
        BaselineCounts copy = BaselineCounts.Serializer.INSTANCE.copy(original);
        original.open.get(20_530L).put("纠纷", 8);
        original.sealed.remove(20_501L);
        assertThat(copy.count(20_530, "纠纷")).isEqualTo(7);
        assertThat(copy.sealed).containsKey(20_501L);
    }
}
