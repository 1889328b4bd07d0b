package org.fenghuo.dashboards.api;

import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.fenghuo.dashboards.auth.Session;
import org.fenghuo.dashboards.search.Filters;
import org.fenghuo.dashboards.search.SearchIndex;
import org.fenghuo.dashboards.search.Searcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The analysts' workbench: search, export, aggregations and an entity's timeline. */
public final class AnalysisApi {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisApi.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(Filters.CENTRE_ZONE);
    private final Searcher searcher;
    private final int exportMaxRows;
    private final Clock clock;

    public AnalysisApi(Searcher searcher, int exportMaxRows, Clock clock) {
        this.searcher = searcher;
        this.exportMaxRows = exportMaxRows;
        this.clock = clock;
    }

    public void list(Context ctx, SearchIndex index) {
        ctx.json(searcher.list(index, filters(ctx)));
    }

    public void csv(Context ctx, SearchIndex index) throws Exception {
        Session s = Access.session(ctx);
        Filters f = filters(ctx);
        String name = "fenghuo-" + index.name().toLowerCase(java.util.Locale.ROOT) + "-" + FILE_TIME.format(clock.instant()) + ".csv";
        ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        CsvExport csv = new CsvExport(index);
        Writer out = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8));
        out.write('\uFEFF'); // so that spreadsheet programs read the Chinese headers as UTF-8
        csv.header(out);
        long rows = searcher.export(index, f, exportMaxRows, doc -> csv.row(out, doc));
        out.flush();
        LOG.info("{} exported {} {} rows", s.user(), rows, index);
    }

    public void aggregations(Context ctx) {
        Map<String, List<String>> params = ctx.queryParamMap();
        SearchIndex index = SearchIndex.parse(params.getOrDefault("index", List.of("events")).get(0));
        ctx.json(searcher.aggregations(index, Filters.parse(params, Access.session(ctx).user().regionScope())));
    }

    public void timeline(Context ctx) {
        Session s = Access.session(ctx);
        Map<String, List<String>> params = ctx.queryParamMap();
        Filters f = Filters.parse(params, s.user().regionScope(), Searcher.TIMELINE_MAX_SIZE, Searcher.TIMELINE_DEFAULT_SIZE);
        ctx.json(searcher.timeline(ctx.pathParam("key"), s.user().regionScope(), f.from(), f.to(), f.size()));
    }

    private static Filters filters(Context ctx) {
        return Filters.parse(ctx.queryParamMap(), Access.session(ctx).user().regionScope());
    }
}
