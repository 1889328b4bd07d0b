package org.fenghuo.jobs.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.fenghuo.core.alert.SubjectType;
import org.junit.jupiter.api.Test;

class RuleInputSerializerTest {
    static final RuleInput FULL = new RuleInput("grid.dispute-hotspot|REG:339901001001", "grid.dispute-hotspot", RuleInput.NEAR,
            SubjectType.ENTERPRISE, "ENT:91339900000000001X", "东方电子厂", "grid-report", "GR-1",
            1_772_668_800_123L, "DISPUTE", "邻里纠纷 · 噪音", "339901", "339901001", "339901001001", "339901001001001",
            30.25, 120.125, 12, 42.5, 17.25, 0b1011L);
    static final RuleInput SPARSE = new RuleInput("entity.risk|PER:00ab", "entity.risk", RuleInput.EVENT, null, null, null,
            "petition", "XF-9", -5L, null, null, null, null, null, null, Double.NaN, Double.NaN, -1, 1, 0, 0);

    /** Writes the inputs one after another and reads them back, checking that nothing is left over. */
    static java.util.List<RuleInput> roundTrip(RuleInput... inputs) throws Exception {
        TypeSerializer<RuleInput> s = RuleInputSerializer.INSTANCE;
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (RuleInput r : inputs) s.serialize(r, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        java.util.List<RuleInput> back = new java.util.ArrayList<>();
        for (int i = 0; i < inputs.length; i++) back.add(s.deserialize(in));
        assertThat(in.available()).isZero();
        return back;
    }

    @Test
    void everyFieldSurvivesTheRoundTripIncludingNullsAndNaN() throws Exception {
        java.util.List<RuleInput> back = roundTrip(FULL, SPARSE);
        assertThat(back).containsExactly(FULL, SPARSE);
        assertThat(back.get(1).hasLocation()).isFalse();
    }

    @Test
    void inputsReadBackShareTheirRuleFeedCategoryAndRegionStringsButNotTheirRecordIds() throws Exception {
        java.util.List<RuleInput> back = roundTrip(FULL, FULL);
        RuleInput a = back.get(0);
        RuleInput b = back.get(1);
        assertThat(b.ruleId()).isSameAs(a.ruleId());
        assertThat(b.feed()).isSameAs(a.feed());
        assertThat(b.category()).isSameAs(a.category());
        assertThat(b.grid()).isSameAs(a.grid());
        assertThat(b.community()).isSameAs(a.community());
        assertThat(b.subjectDisplay()).isSameAs(a.subjectDisplay());
        assertThat(b.recordId()).isNotSameAs(a.recordId()).isEqualTo(a.recordId());
        assertThat(a.eventId()).isEqualTo("grid-report:GR-1");
        assertThat(a.sameEvent(b)).isTrue();
    }

    @Test
    void flinkUsesItForRuleInputsAndListsOfThemInState() {
        TypeSerializer<RuleInput> s = TypeInformation.of(RuleInput.class).createSerializer(new SerializerConfigImpl());
        assertThat(s).isSameAs(RuleInputSerializer.INSTANCE);
        assertThat(RuleInputSerializer.listType().createSerializer(new SerializerConfigImpl()).toString()).doesNotContain("Kryo");
        // a savepoint's snapshot of this layout restores as is
        assertThat(RuleInputSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(
                new RuleInputSerializer.Snapshot()).isCompatibleAsIs()).isTrue();
    }

    @Test
    void aCheckpointOfTheEarlierLayoutIsRefusedNotMisread() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        RuleInputSerializer.Snapshot written = new RuleInputSerializer.Snapshot();
        written.writeSnapshot(out);
        RuleInputSerializer.Snapshot current = new RuleInputSerializer.Snapshot();
        current.readSnapshot(written.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(current.layout()).isEqualTo(2);

        // written by the build before (Flink's simple snapshot, version 3, nothing in it)
        RuleInputSerializer.Snapshot old = new RuleInputSerializer.Snapshot();
        old.readSnapshot(3, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        assertThat(RuleInputSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old).isIncompatible()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(old::restoreSerializer).hasMessageContaining("layout 1");
    }

    @Test
    void eventIdsCompareAsTheirStringsDo() {
        String[][] pairs = {{"petition", "XF-1", "petition", "XF-2"}, {"grid-report", "A", "grid-reports", "A"},
                {"a", "b:c", "a:b", "c"}, {"petition", "X", "petition", "X"}, {"p", "", "p", "0"}};
        for (String[] p : pairs) {
            RuleInput a = new RuleInput("k", "r", RuleInput.EVENT, null, null, null, p[0], p[1], 0, null, null, null, null, null, null, Double.NaN, Double.NaN, -1, 1, 0, 0);
            RuleInput b = new RuleInput("k", "r", RuleInput.EVENT, null, null, null, p[2], p[3], 0, null, null, null, null, null, null, Double.NaN, Double.NaN, -1, 1, 0, 0);
            assertThat(Integer.signum(a.compareEventId(b))).as(String.join("|", p)).isEqualTo(Integer.signum(a.eventId().compareTo(b.eventId())));
            assertThat(Integer.signum(b.compareEventId(a))).isEqualTo(Integer.signum(b.eventId().compareTo(a.eventId())));
        }
    }
}
