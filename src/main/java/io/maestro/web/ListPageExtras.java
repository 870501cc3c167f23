package io.maestro.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a list page adds for the list tools: its filter as a query string (export, "all N
 * matching"), the export and import links, and the "as of" state (banner, read-only rows).
 */
@org.springframework.stereotype.Component
class ListPageExtras {
    private final io.maestro.views.SavedViews savedViews;
    private final Directory directory;

    ListPageExtras(io.maestro.views.SavedViews savedViews, Directory directory) {
        this.savedViews = savedViews;
        this.directory = directory;
    }

    /** The column chooser and the saved views of this list, with the form that saves the current one. */
    void views(Model model, KindView shown, KindView base, Map<String, String[]> params, io.maestro.core.access.Caller caller) {
        String[] cols = params.get(ColumnChoice.PARAM);
        String query = filterQuery(params);
        StringBuilder chooser = new StringBuilder("/" + base.collection() + "/columns?" + query);
        if (cols != null) for (String c : cols) chooser.append(chooser.charAt(chooser.length() - 1) == '?' ? "" : "&").append("col=")
                .append(URLEncoder.encode(c, StandardCharsets.UTF_8));
        model.addAttribute("columnsHref", chooser.toString());
        model.addAttribute("chosenColumns", cols == null ? "" : String.join(",", cols));
        model.addAttribute("chosenColumnList", cols == null ? new String[0] : cols); // a filter changed keeps the chosen columns
        List<ViewPages.Link> links = new ArrayList<>();
        savedViews.visible(base.collection(), caller).forEach(v -> links.add(ViewPages.link(v, caller)));
        model.addAttribute("savedViews", links);
        model.addAttribute("shareTeams", directory.teamNames(caller.teamIds()));
    }

    static void add(Model model, HttpServletRequest request, OffsetDateTime asOf, String asOfParam, boolean mayWrite) {
        String collection = request.getRequestURI().replaceAll("^/([^/]+).*$", "$1");
        String filter = filterQuery(request.getParameterMap());
        model.addAttribute("filterQuery", filter);
        model.addAttribute("exportCsv", "/" + collection + "/export?" + join(filter, "format=csv"));
        model.addAttribute("exportNdjson", "/" + collection + "/export?" + join(filter, "format=ndjson"));
        model.addAttribute("importHref", mayWrite && asOf == null ? "/" + collection + "/import" : null);
        model.addAttribute("selectable", mayWrite && asOf == null);
        model.addAttribute("impactable", asOf == null && io.maestro.insight.ImpactService.hurtsOthers(collection));
        model.addAttribute("asOfField", asOf != null ? TimeTravel.field(asOf) : asOfParam);
        // a time to the millisecond (a link from the History tab) stays exact when the filters change
        model.addAttribute("asOfStep", asOf != null && asOf.getNano() != 0 ? "0.001" : "1");
        if (asOf != null) {
            model.addAttribute("asOf", TimeTravel.shown(asOf));
            model.addAttribute("nowHref", RecordPages.link(request, params(request), "as_of", null));
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "&" + b;
    }

    private static Map<String, String[]> params(HttpServletRequest request) {
        return ListTools.filterParamsRaw(request.getParameterMap());
    }

    /** The filters and sort of the current list (no paging, no empty values), encoded as a query string. */
    static String filterQuery(Map<String, String[]> raw) {
        StringBuilder b = new StringBuilder();
        ListTools.filterParamsRaw(raw).forEach((k, v) -> {
            for (String s : v) {
                if (!b.isEmpty()) b.append('&');
                b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(s, StandardCharsets.UTF_8));
            }
        });
        return b.toString();
    }

    /** In a historical list every record opens as it stood then. */
    static List<RecordPages.ListRow> asOfLinks(List<RecordPages.ListRow> rows, OffsetDateTime asOf) {
        if (asOf == null) return rows;
        String suffix = "?as_of=" + URLEncoder.encode(asOf.toString(), StandardCharsets.UTF_8);
        List<RecordPages.ListRow> out = new ArrayList<>();
        for (RecordPages.ListRow r : rows) {
            List<RecordPages.Cell> cells = new ArrayList<>();
            for (RecordPages.Cell c : r.cells()) {
                boolean record = c.href() != null && !c.href().contains("?");
                cells.add(record ? new RecordPages.Cell(c.text(), c.href() + suffix, c.badge()) : c);
            }
            out.add(new RecordPages.ListRow(r.id(), cells));
        }
        return out;
    }
}
