package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.maestro.core.record.Kind;
import io.maestro.core.record.RecordService;
import io.maestro.insight.QualityService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Data quality: per kind, how complete the records are against the fields people expect
 * ({@code insight/Expectations}), the duplicates, stale, drifted and orphaned ones, and the worst
 * records with what they miss, each a link to its form. Per team too. The numbers are the quality
 * API's ({@link QualityService}): only records the caller may read count.
 */
@Controller
public class QualityPages {
    /** Teams the per-team table compares at most (each is a measurement of every kind). */
    static final int TEAMS = 10;

    private final QualityService quality;
    private final CallerProvider callers;
    private final Views views;
    private final Directory directory;
    private final RecordService records;

    QualityPages(QualityService quality, CallerProvider callers, Views views, Directory directory, RecordService records) {
        this.quality = quality;
        this.callers = callers;
        this.views = views;
        this.directory = directory;
        this.records = records;
    }

    public record FieldShare(String label, long filled, String share, boolean low) {
    }

    public record Worst(String name, String href, String editHref, String score, List<String> missing) {
    }

    /** One kind's measurement as the page shows it. */
    public record KindQuality(String collection, String plural, String listHref, long records, String score, boolean low, long duplicates,
                              long stale, long drift, long orphans, boolean orphansApply, List<FieldShare> fields, List<Worst> worst) {
        /** The list of this kind's stale records (of the team shown), which the count links to. */
        public String staleHref() {
            return listHref + (listHref.contains("?") ? "&" : "?") + "stale=true";
        }

        public String driftHref() {
            return listHref + (listHref.contains("?") ? "&" : "?") + "drift=true";
        }
    }

    public record TeamRow(String name, String href, List<String> scores) {
    }

    public record Duplicate(String kind, String field, String value, List<HomePages.Hit> records) {
    }

    @GetMapping("/quality")
    public String quality(@RequestParam(value = "team_id", required = false) String teamId,
                          @RequestParam(value = "compare", required = false) String compare, Model model) {
        Caller caller = callers.current();
        UUID team = team(teamId);
        List<KindQuality> kinds = new ArrayList<>();
        for (Kind kind : quality.measured()) {
            kinds.add(shown(kind, quality.of(kind, team, caller), team));
        }
        model.addAttribute("kinds", kinds);
        Map<UUID, String> teams = directory.teams(caller);
        model.addAttribute("teams", teams);
        model.addAttribute("team", team == null ? null : team.toString());
        model.addAttribute("teamName", team == null ? null : teams.getOrDefault(team, team.toString()));
        // comparing teams measures every kind once per team: on request, not on every visit
        boolean byTeam = team == null && "teams".equals(compare) && teams.size() > 1;
        model.addAttribute("compare", byTeam);
        model.addAttribute("maxTeams", TEAMS);
        model.addAttribute("canCompare", team == null && !byTeam && teams.size() > 1);
        model.addAttribute("teamRows", byTeam ? teamRows(teams, caller) : List.of());
        model.addAttribute("teamKinds", quality.measured().stream().map(k -> views.find(k.collection()).map(KindView::plural).orElse(k.collection())).toList());
        model.addAttribute("duplicates", team == null ? duplicates(caller) : List.of());
        return "quality";
    }

    private KindQuality shown(Kind kind, Map<String, Object> q, UUID team) {
        String c = kind.collection();
        List<FieldShare> fields = new ArrayList<>();
        if (q.get("fields") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> f = (Map<?, ?>) o;
                Double share = f.get("share") instanceof Number n ? n.doubleValue() : null;
                fields.add(new FieldShare(Labels.field(c, String.valueOf(f.get("field"))), ((Number) f.get("filled")).longValue(), percent(share),
                        share != null && share < 0.5));
            }
        }
        List<Worst> worst = new ArrayList<>();
        if (q.get("worst") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> w = (Map<?, ?>) o;
                List<String> missing = w.get("missing") instanceof List<?> m ? m.stream().map(x -> Labels.field(c, String.valueOf(x))).toList() : List.of();
                String name = w.get("name") == null || String.valueOf(w.get("name")).isBlank() ? "(no name)" : String.valueOf(w.get("name"));
                worst.add(new Worst(name, "/" + c + "/" + w.get("id"), "/" + c + "/" + w.get("id") + "/edit",
                        percent(((Number) w.get("score")).doubleValue()), missing));
            }
        }
        long duplicates = 0;
        if (q.get("duplicates") instanceof Map<?, ?> d) for (Object v : d.values()) duplicates += ((Number) v).longValue();
        Double score = q.get("score") instanceof Number n ? n.doubleValue() : null;
        return new KindQuality(c, views.find(c).map(KindView::plural).orElse(c), "/" + c + (team == null ? "" : "?team_id=" + team), ((Number) q.get("records")).longValue(), percent(score),
                score != null && score < 0.5, duplicates, ((Number) q.get("stale")).longValue(), ((Number) q.get("drift")).longValue(),
                ((Number) q.get("orphans")).longValue(), List.of("servers", "applications", "systems").contains(c), fields, worst);
    }

    /** The score of every kind for each team the caller sees (the first {@link #TEAMS}). */
    private List<TeamRow> teamRows(Map<UUID, String> teams, Caller caller) {
        List<TeamRow> out = new ArrayList<>();
        teams.entrySet().stream().limit(TEAMS).forEach(t -> {
            List<String> scores = new ArrayList<>();
            for (Kind kind : quality.measured()) {
                Map<String, Object> q = quality.of(kind, t.getKey(), caller);
                scores.add(q.get("score") instanceof Number n ? percent(n.doubleValue()) + " of " + q.get("records") : "—");
            }
            out.add(new TeamRow(t.getValue(), "/quality?team_id=" + t.getKey(), scores));
        });
        return out;
    }

    /** Values that should be unique in a team and are not, with the records holding them. */
    private List<Duplicate> duplicates(Caller caller) {
        List<Duplicate> out = new ArrayList<>();
        for (KindView v : views.all()) {
            if (v.kind().duplicateRules().isEmpty()) continue;
            for (RecordService.DuplicateGroup g : records.duplicateGroups(v.kind(), caller, 20)) {
                List<HomePages.Hit> hits = new ArrayList<>();
                g.records().forEach((id, name) -> hits.add(new HomePages.Hit(name, "/" + v.collection() + "/" + id + "/edit", null, null, null)));
                out.add(new Duplicate(v.label(), Labels.field(v.collection(), g.field()), String.valueOf(g.value()), hits));
            }
        }
        return out;
    }

    private static String percent(Double share) {
        return share == null ? "—" : Math.round(share * 100) + "%";
    }

    private static UUID team(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badField("team_id", "is not a valid id");
        }
    }
}
