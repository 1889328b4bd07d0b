package org.fenghuo.dashboards.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fenghuo.dashboards.api.ApiException;
import org.fenghuo.dashboards.auth.Scope;
import org.junit.jupiter.api.Test;

class FiltersTest {
    private static final Scope DISTRICT = new Scope("339901");

    @Test
    void listsDatesAndPagingAreParsed() {
        Filters f = Filters.parse(Map.of("level", List.of("red,ORANGE"), "feed", List.of("petition"), "from", List.of("2026-11-01"),
                "to", List.of("2026-11-02"), "region", List.of("339901002"), "page", List.of("2"), "size", List.of("20")), DISTRICT);
        assertThat(f.levels()).containsExactly("RED", "ORANGE");
        assertThat(f.feeds()).containsExactly("petition");
        assertThat(f.from()).as("a day starts at midnight in the centre's zone").isEqualTo(Instant.parse("2026-10-31T16:00:00Z"));
        assertThat(f.to()).as("and 'to' a day includes it").isEqualTo(Instant.parse("2026-11-02T16:00:00Z"));
        assertThat(f.scope()).isEqualTo(new Scope("339901002"));
        assertThat(f.page()).isEqualTo(2);
        assertThat(f.size()).isEqualTo(20);
    }

    @Test
    void badValuesAre400sNamingTheParameterAndAForeignRegionIsA403() {
        assertThat(problem(Map.of("level", List.of("PURPLE")))).matches(e -> e.status() == 400 && e.getMessage().contains("level 'PURPLE'"));
        assertThat(problem(Map.of("feed", List.of("twitter")))).matches(e -> e.getMessage().contains("feed 'twitter'"));
        assertThat(problem(Map.of("size", List.of("0")))).matches(e -> e.getMessage().contains("size '0'"));
        assertThat(problem(Map.of("from", List.of("2026-11-03"), "to", List.of("2026-11-01")))).matches(e -> e.getMessage().contains("after"));
        assertThat(problem(Map.of("region", List.of("33A")))).matches(e -> e.status() == 400);
        assertThat(problem(Map.of("region", List.of("339902")))).matches(e -> e.status() == 403);
        assertThat(problem(Map.of("region", List.of("3399")))).as("wider than the scope").matches(e -> e.status() == 403);
        assertThat(problem(Map.of("sort", List.of("random")))).matches(e -> e.getMessage().contains("sort 'random'"));
        assertThat(problem(Map.of("q", List.of("a", "b")))).matches(e -> e.getMessage().contains("given 2 times"));
    }

    @Test
    void theUserScopeIsAlwaysApplied() {
        Filters f = Filters.parse(Map.of(), DISTRICT);
        assertThat(Queries.filters(SearchIndex.ALERTS, f).toString()).contains("\"prefix\":{\"region.district\":\"339901\"}");
        assertThat(Queries.filters(SearchIndex.EVENTS, Filters.parse(Map.of(), Scope.CITY))).isEmpty();
    }

    private static ApiException problem(Map<String, List<String>> params) {
        return catchThrowableOfType(ApiException.class, () -> Filters.parse(params, DISTRICT));
    }
}
