package org.fenghuo.jobs.correlation;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A region's event counts per period and category for {@link BaselineDetector}: the sealed periods' final counts, and
 * the open ones' (still taking late events) so far. The open periods' events themselves are kept apart, one state
 * entry per period and category, so that a record reads and writes only its own period's category and these counts,
 * never the whole region's days of events: with RocksDB every access (de)serialises what it touches.
 */
public final class BaselineCounts {
    long firstPeriod = Long.MAX_VALUE;
    final TreeMap<Long, HashMap<String, Integer>> sealed = new TreeMap<>();
    final TreeMap<Long, HashMap<String, Integer>> open = new TreeMap<>();

    int count(long period, String category) {
        HashMap<String, Integer> o = open.get(period);
        if (o != null) return o.getOrDefault(category, 0);
        HashMap<String, Integer> s = sealed.get(period);
        return s == null ? 0 : s.getOrDefault(category, 0);
    }

    /**
     * History summaries by category. Every record of a busy region would otherwise walk four weeks of periods; a range
     * of periods changes only when a record lands in it ({@link #added}). Not in state: rebuilt on first use (with
     * RocksDB, for each record, which costs a few dozen map lookups).
     */
    private transient HashMap<String, History> histories;

    private record History(long from, long to, BaselineStats.Summary summary) {}

    /** The end of the latest cached history: records in later periods (nearly all of them) touch no summary. */
    private transient long historiesEnd = Long.MIN_VALUE;

    void added(long period) {
        if (histories != null && period < historiesEnd) histories.values().removeIf(h -> h.from <= period && period < h.to);
    }

    BaselineStats.Summary history(String category, long from, long to) {
        boolean settled = open.isEmpty() || open.firstKey() >= to;
        if (settled && histories != null) {
            History h = histories.get(category);
            if (h != null && h.from == from && h.to == to) return h.summary;
        }
        int[] counts = new int[(int) (to - from)];
        for (long q = from; q < to; q++) counts[(int) (q - from)] = count(q, category);
        BaselineStats.Summary sum = BaselineStats.summarise(counts);
        if (settled) {
            if (histories == null) histories = new HashMap<>();
            histories.put(category, new History(from, to, sum));
            historiesEnd = Math.max(historiesEnd, to);
        }
        return sum;
    }

    /** Writes the counts field by field: Flink would otherwise hand the maps to Kryo. */
    public static final class Serializer extends TypeSerializerSingleton<BaselineCounts> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public BaselineCounts createInstance() {
            return new BaselineCounts();
        }

        @Override
        public BaselineCounts copy(BaselineCounts from) {
            BaselineCounts c = new BaselineCounts();
            c.firstPeriod = from.firstPeriod;
            from.sealed.forEach((p, m) -> c.sealed.put(p, new HashMap<>(m)));
            from.open.forEach((p, m) -> c.open.put(p, new HashMap<>(m)));
            return c;
        }

        @Override
        public BaselineCounts copy(BaselineCounts from, BaselineCounts reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(BaselineCounts c, DataOutputView out) throws IOException {
            out.writeLong(c.firstPeriod);
            write(c.sealed, out);
            write(c.open, out);
        }

        private static void write(TreeMap<Long, HashMap<String, Integer>> periods, DataOutputView out) throws IOException {
            out.writeInt(periods.size());
            for (Map.Entry<Long, HashMap<String, Integer>> p : periods.entrySet()) {
                out.writeLong(p.getKey());
                out.writeInt(p.getValue().size());
                for (Map.Entry<String, Integer> e : p.getValue().entrySet()) {
                    StringValue.writeString(e.getKey(), out);
                    out.writeInt(e.getValue());
                }
            }
        }

        @Override
        public BaselineCounts deserialize(DataInputView in) throws IOException {
            BaselineCounts c = new BaselineCounts();
            c.firstPeriod = in.readLong();
            read(c.sealed, in);
            read(c.open, in);
            return c;
        }

        private static void read(TreeMap<Long, HashMap<String, Integer>> periods, DataInputView in) throws IOException {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long period = in.readLong();
                int k = in.readInt();
                HashMap<String, Integer> m = new HashMap<>(Math.max(4, k * 2));
                for (int j = 0; j < k; j++) m.put(RuleInputSerializer.CODES.share(StringValue.readString(in)), in.readInt());
                periods.put(period, m);
            }
        }

        @Override
        public BaselineCounts deserialize(BaselineCounts reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        @Override
        public TypeSerializerSnapshot<BaselineCounts> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Layout 1, as above; a new layout needs a new snapshot version. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<BaselineCounts> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
