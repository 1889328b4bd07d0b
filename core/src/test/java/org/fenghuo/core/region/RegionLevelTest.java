package org.fenghuo.core.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegionLevelTest {
    @Test
    void levelFollowsFromCodeLength() {
        assertThat(RegionLevel.ofCode("339901")).contains(RegionLevel.DISTRICT);
        assertThat(RegionLevel.ofCode("339901001")).contains(RegionLevel.STREET);
        assertThat(RegionLevel.ofCode("339901001002")).contains(RegionLevel.COMMUNITY);
        assertThat(RegionLevel.ofCode("339901001002003")).contains(RegionLevel.GRID);
        assertThat(RegionLevel.ofCode("33990100100")).isEmpty();
        assertThat(RegionLevel.ofCode("33990A")).isEmpty();
        assertThat(RegionLevel.ofCode("")).isEmpty();
        assertThat(RegionLevel.ofCode(null)).isEmpty();
    }

    @Test
    void parentsAndChildren() {
        assertThat(RegionLevel.DISTRICT.parentLevel()).isEmpty();
        assertThat(RegionLevel.DISTRICT.childLevel()).contains(RegionLevel.STREET);
        assertThat(RegionLevel.GRID.parentLevel()).contains(RegionLevel.COMMUNITY);
        assertThat(RegionLevel.GRID.childLevel()).isEmpty();
        assertThat(RegionLevel.STREET.isAbove(RegionLevel.GRID)).isTrue();
        assertThat(RegionLevel.GRID.isAbove(RegionLevel.GRID)).isFalse();
    }

    @Test
    void prefixOfCutsTheCode() {
        assertThat(RegionLevel.STREET.prefixOf("339901001002003")).isEqualTo("339901001");
        assertThat(RegionLevel.GRID.prefixOf("339901001002003")).isEqualTo("339901001002003");
        assertThatThrownBy(() -> RegionLevel.GRID.prefixOf("339901")).isInstanceOf(IllegalArgumentException.class);
    }
}
