package org.fenghuo.core.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegionPathTest {
    @Test
    void derivesEveryLevelFromAGridCode() {
        RegionPath p = RegionPath.ofCode("339901001002003");
        assertThat(p).isEqualTo(RegionPath.of("339901", "339901001", "339901001002", "339901001002003"));
        assertThat(p.mostSpecific()).isEqualTo("339901001002003");
        assertThat(p.mostSpecificLevel()).isEqualTo(RegionLevel.GRID);
        assertThat(p.at(RegionLevel.COMMUNITY)).isEqualTo("339901001002");
    }

    @Test
    void streetCodeGivesTwoLevels() {
        RegionPath p = RegionPath.ofCode("339901001");
        assertThat(p).isEqualTo(RegionPath.of("339901", "339901001", null, null));
        assertThat(p.mostSpecificLevel()).isEqualTo(RegionLevel.STREET);
    }

    @Test
    void emptyPath() {
        assertThat(RegionPath.EMPTY.mostSpecific()).isNull();
        assertThat(RegionPath.EMPTY.mostSpecificLevel()).isNull();
        assertThat(RegionPath.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void rejectsInconsistentPaths() {
        assertThatThrownBy(() -> RegionPath.of("339901", "339902001", null, null))
                .hasMessageContaining("not inside DISTRICT 339901");
        assertThatThrownBy(() -> RegionPath.of(null, "339901001", null, null))
                .hasMessageContaining("without the level above");
        assertThatThrownBy(() -> RegionPath.of("33990", null, null, null)).hasMessageContaining("6 digits");
        assertThatThrownBy(() -> RegionPath.ofCode("3399010011")).hasMessageContaining("not a region code");
    }
}
