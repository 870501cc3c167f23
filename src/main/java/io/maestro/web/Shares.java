package io.maestro.web;

import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Sharing;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Access tab of a record: whom it is shared with, and one share added, changed or removed.
 * {@link Sharing} takes the whole list; this turns one change of the page into that list and
 * back, and {@link Sharing} decides who may see and change it and what is valid.
 */
@Component
class Shares {
    private static final Map<String, String> LEVELS = levels();
    private static final Pattern ENTRY_FIELD = Pattern.compile("\\[(\\d+)](?:\\.(\\w+))?");

    private final Sharing sharing;
    private final Directory directory;

    Shares(Sharing sharing, Directory directory) {
        this.sharing = sharing;
        this.directory = directory;
    }

    /** One share as the tab lists it: the hidden input that names it ({@code team_id} or {@code user_id}) and its level. */
    public record Entry(String param, String id, String name, String type, String level) {
    }

    /**
     * The tab: its shares, and for those who may change them the add form, the levels, and the
     * team and user names it suggests (only those the caller may see named; any other team or
     * user is shared with by typing its name).
     */
    public record Tab(List<Entry> entries, SimpleForm form, Map<String, String> levels, List<String> usernames, List<String> teamNames) {
        public boolean canShare() {
            return form != null;
        }
    }

    /** The tab for a record, or null when the caller may not see its shares (catalogs, or a mere read share). */
    Tab tab(Kind kind, UUID id, Caller caller, boolean canShare, SimpleForm form) {
        if (kind.global()) return null;
        List<Map<String, Object>> current;
        try {
            current = sharing.get(kind, id, caller);
        } catch (ProblemException e) {
            if (e.status() == 403) return null;
            throw e;
        }
        List<Entry> entries = new ArrayList<>();
        for (Map<String, Object> m : current) {
            boolean team = m.containsKey("team_id");
            String param = team ? "team_id" : "user_id";
            entries.add(new Entry(param, String.valueOf(m.get(param)), String.valueOf(m.get("name")), team ? "Team" : "User",
                    String.valueOf(m.get("level"))));
        }
        if (!canShare) return new Tab(entries, null, LEVELS, List.of(), List.of());
        // the suggestions name only teams and users the caller may see (AccessPolicy's directory rule)
        return new Tab(entries, form == null ? form(null, null, "read") : form, LEVELS, List.copyOf(directory.users(caller, 1000).values()),
                List.copyOf(directory.teams(caller).values()));
    }

    /**
     * Applies one change: {@code remove} drops the named share, anything else sets the level of
     * the team or user named (adding it when new). Returns null when saved, else the form with
     * its errors, for the page to show again.
     */
    SimpleForm apply(Kind kind, UUID id, Map<String, String> params, Caller caller) {
        String teamId = SimpleForm.input(params, "team_id");
        String userId = SimpleForm.input(params, "user_id");
        String username = SimpleForm.input(params, "username");
        String teamName = SimpleForm.input(params, "team");
        String level = params.getOrDefault("level", "");
        SimpleForm form = form(teamName, username, level);
        if (teamName != null) {
            // the page names teams by name too: a team it does not list is shared with by typing its name
            teamId = directory.teamId(teamName).map(UUID::toString).orElse(null);
            if (teamId == null) form.error("team", "no team with this name");
        }
        if (username != null) {
            // the page names users by name, the service by id
            userId = directory.userId(username).map(UUID::toString).orElse(null);
            if (userId == null) form.error("username", "no user with this name");
        }
        if (form.failed()) return form;
        List<Object> body = new ArrayList<>();
        int index = -1;
        for (Map<String, Object> m : sharing.get(kind, id, caller)) {
            Map<String, Object> e = new LinkedHashMap<>(m);
            e.remove("name");
            boolean same = (teamId != null && teamId.equals(e.get("team_id"))) || (userId != null && userId.equals(e.get("user_id")));
            if (!same) body.add(e);
            else if (!"remove".equals(params.get("op"))) {
                e.put("level", level);
                index = body.size();
                body.add(e);
            }
        }
        if (index < 0 && !"remove".equals(params.get("op"))) {
            Map<String, Object> e = new LinkedHashMap<>();
            if (teamId != null) e.put("team_id", teamId);
            if (userId != null) e.put("user_id", userId);
            e.put("level", level);
            index = body.size();
            body.add(e);
        }
        try {
            sharing.replace(kind, id, body, caller);
            return null;
        } catch (ProblemException e) {
            if (e.status() != 400) throw e;
            form.refused(e, fieldNames(e, index, username != null, teamName != null));
            return form;
        }
    }

    /** The service names fields by their place in the list ({@code [2].level}); the form by input. */
    private static Map<String, String> fieldNames(ProblemException e, int index, boolean byName, boolean teamByName) {
        Map<String, String> out = new LinkedHashMap<>();
        e.errors().forEach(fe -> {
            Matcher m = ENTRY_FIELD.matcher(fe.field());
            if (!m.matches() || Integer.parseInt(m.group(1)) != index) return;
            String field = m.group(2) == null ? "team" : m.group(2);
            if (field.equals("team_id") && teamByName) field = "team";
            out.put(fe.field(), field.equals("user_id") && byName ? "username" : field);
        });
        return out;
    }

    private SimpleForm form(String teamName, String username, String level) {
        SimpleForm f = new SimpleForm("share-");
        Node team = f.text("team", "Team", teamName);
        team.widget = "catalog";
        team.datalist = "dl-share-teams";
        Node user = f.text("username", "or user", username);
        user.widget = "catalog";
        user.datalist = "dl-share-users";
        f.select("level", "Level", LEVELS, level);
        return f;
    }

    private static Map<String, String> levels() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : Sharing.LEVELS) m.put(l, l);
        return m;
    }
}
