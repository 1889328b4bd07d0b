package org.fenghuo.dashboards.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {
    @Test
    void aDistrictScopeHoldsItsOwnCodesOnly() {
        Scope d = new Scope("339901");
        assertThat(d.allows("339901002003004")).isTrue();
        assertThat(d.allows("339902002003004")).isFalse();
        assertThat(d.allows(null)).isFalse();
        assertThat(Scope.CITY.allows("339902")).isTrue();
    }

    @Test
    void aRequestIsNarrowedInsideTheScopeAndRefusedOutsideIt() {
        Scope d = new Scope("339901");
        assertThat(d.narrowTo("339901002")).contains(new Scope("339901002"));
        assertThat(d.narrowTo(null)).contains(d);
        assertThat(d.narrowTo("3399")).as("wider than the scope").isEmpty();
        assertThat(d.narrowTo("339902")).isEmpty();
        assertThat(Scope.CITY.narrowTo("339902")).contains(new Scope("339902"));
    }

    @Test
    void thePrefixIsComparedWithTheShallowestLevelLongEnoughToHoldIt() {
        assertThat(new Scope("3399").regionField()).isEqualTo("region.district");
        assertThat(new Scope("339901").regionField()).isEqualTo("region.district");
        assertThat(new Scope("3399010").regionField()).isEqualTo("region.street");
        assertThat(new Scope("339901002003").regionField()).isEqualTo("region.community");
        assertThat(new Scope("339901002003004").regionField()).isEqualTo("region.grid");
    }

    @Test
    void aScopeIsDigitsOnly() {
        assertThatThrownBy(() -> new Scope("33*")).hasMessageContaining("33*");
    }
}
