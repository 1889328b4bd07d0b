package org.fenghuo.dashboards.api;

import io.javalin.http.Context;
import java.util.Set;
import org.fenghuo.dashboards.RegionMap;
import org.fenghuo.dashboards.auth.Scope;
import org.fenghuo.dashboards.search.Searcher;

/** The numbers and shapes of the situation page and the big screen. */
public final class SituationApi {
    private static final Set<String> LEVELS = Set.of("DISTRICT", "STREET", "COMMUNITY", "GRID");
    private final Searcher searcher;
    private final RegionMap regions;

    public SituationApi(Searcher searcher, RegionMap regions) {
        this.searcher = searcher;
        this.regions = regions;
    }

    public void summary(Context ctx) {
        ctx.json(searcher.summary(region(ctx, "region")));
    }

    public void map(Context ctx) {
        ctx.json(searcher.mapStats(region(ctx, "parent")));
    }

    public void trend(Context ctx) {
        String range = ctx.queryParam("range") == null ? "24h" : ctx.queryParam("range");
        if (!range.equals("24h") && !range.equals("7d")) throw ApiException.badRequest("range '" + range + "' is not 24h or 7d");
        String by = ctx.queryParam("by") == null ? "feed" : ctx.queryParam("by");
        if (!by.equals("feed") && !by.equals("category")) throw ApiException.badRequest("by '" + by + "' is not feed or category");
        ctx.json(searcher.trend(region(ctx, "region"), range.equals("7d"), by));
    }

    public void regions(Context ctx) {
        String level = ctx.queryParam("level");
        if (level != null && !LEVELS.contains(level)) throw ApiException.badRequest("level '" + level + "' is not one of " + LEVELS);
        String parent = ctx.queryParam("parent");
        Scope scope = Access.session(ctx).user().regionScope();
        if (parent != null && !parent.isBlank()) {
            if (!parent.matches("\\d{1,15}")) throw ApiException.badRequest("parent '" + parent + "' is not a region code");
            if (!scope.allows(parent)) throw ApiException.forbidden("region " + parent + " is outside your scope");
        }
        ctx.contentType("application/geo+json").json(regions.geoJson(scope, level, parent == null || parent.isBlank() ? null : parent));
    }

    private static Scope region(Context ctx, String param) {
        String requested = ctx.queryParam(param);
        if (requested != null && !requested.isBlank() && !requested.matches("\\d{1,15}")) {
            throw ApiException.badRequest(param + " '" + requested + "' is not a region code (1–15 digits)");
        }
        Scope user = Access.session(ctx).user().regionScope();
        return user.narrowTo(requested).orElseThrow(() -> ApiException.forbidden("region " + requested + " is outside your scope"));
    }
}
