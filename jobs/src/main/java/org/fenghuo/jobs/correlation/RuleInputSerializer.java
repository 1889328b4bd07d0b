package org.fenghuo.jobs.correlation;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;
import org.fenghuo.core.alert.SubjectType;

/**
 * Writes a {@link RuleInput} field by field. Every event becomes several rule inputs, each crossing the network once
 * and held in state: Flink's reflective record serializer (a field accessor per field, the canonical constructor
 * called through reflection) was a visible share of the correlation job's time. The layout is versioned by the
 * snapshot; a change of fields needs a new layout version in {@link Snapshot}.
 */
public final class RuleInputSerializer extends TypeSerializerSingleton<RuleInput> {
    private static final long serialVersionUID = 1L;
    public static final RuleInputSerializer INSTANCE = new RuleInputSerializer();
    private static final SubjectType[] TYPES = SubjectType.values();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public RuleInput createInstance() {
        return null;
    }

    @Override
    public RuleInput copy(RuleInput from) {
        return from;
    }

    @Override
    public RuleInput copy(RuleInput from, RuleInput reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RuleInput r, DataOutputView out) throws IOException {
        StringValue.writeString(r.partitionKey(), out);
        StringValue.writeString(r.ruleId(), out);
        out.writeByte(r.role());
        out.writeByte(r.subjectType() == null ? -1 : r.subjectType().ordinal());
        StringValue.writeString(r.subjectKey(), out);
        StringValue.writeString(r.subjectDisplay(), out);
        StringValue.writeString(r.feed(), out);
        StringValue.writeString(r.recordId(), out);
        out.writeLong(r.time());
        StringValue.writeString(r.category(), out);
        StringValue.writeString(r.title(), out);
        StringValue.writeString(r.district(), out);
        StringValue.writeString(r.street(), out);
        StringValue.writeString(r.community(), out);
        StringValue.writeString(r.grid(), out);
        out.writeDouble(r.lat());
        out.writeDouble(r.lon());
        out.writeInt(r.peopleCount());
        out.writeDouble(r.value());
        out.writeDouble(r.points());
        out.writeLong(r.mask());
    }

    @Override
    public RuleInput deserialize(DataInputView in) throws IOException {
        String partitionKey = StringValue.readString(in);
        String ruleId = CODES.share(StringValue.readString(in));
        byte role = in.readByte();
        byte type = in.readByte();
        String subjectKey = StringValue.readString(in);
        String subjectDisplay = NAMES.share(StringValue.readString(in));
        String feed = CODES.share(StringValue.readString(in));
        String recordId = StringValue.readString(in);
        long time = in.readLong();
        String category = CODES.share(StringValue.readString(in));
        String title = StringValue.readString(in);
        String district = CODES.share(StringValue.readString(in));
        String street = CODES.share(StringValue.readString(in));
        String community = CODES.share(StringValue.readString(in));
        String grid = CODES.share(StringValue.readString(in));
        return new RuleInput(partitionKey, ruleId, role, type < 0 ? null : TYPES[type], subjectKey, subjectDisplay, feed,
                recordId, time, category, title, district, street, community, grid, in.readDouble(), in.readDouble(),
                in.readInt(), in.readDouble(), in.readDouble(), in.readLong());
    }

    /**
     * One copy of each rule id, feed, category and region code ({@code CODES}) and of each subject name ({@code NAMES})
     * however many inputs hold it: they are most of a detector's state, and there are only so many of them. Bounded,
     * so a flood of distinct values only stops the sharing; names have their own pool so that they cannot crowd out
     * the codes.
     */
    static final SharedStrings CODES = new SharedStrings(1 << 16);
    static final SharedStrings NAMES = new SharedStrings(1 << 18);

    static final class SharedStrings {
        private final int max;
        private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();

        SharedStrings(int max) {
            this.max = max;
        }

        String share(String s) {
            if (s == null) return null;
            String c = pool.get(s);
            if (c != null) return c;
            if (pool.size() >= max) return s;
            c = pool.putIfAbsent(s, s);
            return c == null ? s : c;
        }
    }

    @Override
    public RuleInput deserialize(RuleInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<RuleInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * The layout above is version 2; version 1 (the event id written out) was written under Flink's simple snapshot,
     * whose own versions are 1 to 3, so a snapshot read with one of those holds layout 1. A checkpoint of another
     * layout is refused, not misread.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<RuleInput> {
        static final int LAYOUT = 2;
        private static final int VERSION = 4;
        private int layout = LAYOUT;

        public Snapshot() {}

        int layout() {
            return layout;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(layout);
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            layout = readVersion < VERSION ? 1 : in.readInt();
        }

        @Override
        public TypeSerializer<RuleInput> restoreSerializer() {
            if (layout != LAYOUT) {
                throw new IllegalStateException("rule inputs in this checkpoint use layout " + layout + ", this build reads "
                        + LAYOUT + ": start the correlation job without its old state");
            }
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<RuleInput> resolveSchemaCompatibility(TypeSerializerSnapshot<RuleInput> old) {
            return old instanceof Snapshot s && s.layout == LAYOUT
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs() : TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    /** Lists of rule inputs as the detectors keep them in state. */
    static TypeInformation<java.util.List<RuleInput>> listType() {
        return org.apache.flink.api.common.typeinfo.Types.LIST(new Info());
    }

    /** Picked up through {@code @TypeInfo} on {@link RuleInput}, so every stream and state of rule inputs uses it. */
    public static final class Factory extends TypeInfoFactory<RuleInput> {
        @Override
        public TypeInformation<RuleInput> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new Info();
        }
    }

    static final class Info extends TypeInformation<RuleInput> {
        private static final long serialVersionUID = 1L;

        @Override public boolean isBasicType() { return false; }
        @Override public boolean isTupleType() { return false; }
        @Override public int getArity() { return 1; }
        @Override public int getTotalFields() { return 1; }
        @Override public Class<RuleInput> getTypeClass() { return RuleInput.class; }
        @Override public boolean isKeyType() { return false; }
        @Override public TypeSerializer<RuleInput> createSerializer(SerializerConfig config) { return INSTANCE; }
        @Override public String toString() { return "RuleInput"; }
        @Override public boolean equals(Object o) { return o instanceof Info; }
        @Override public int hashCode() { return RuleInput.class.hashCode(); }
        @Override public boolean canEqual(Object o) { return o instanceof Info; }
    }
}
