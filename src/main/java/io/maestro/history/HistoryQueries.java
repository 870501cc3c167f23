package io.maestro.history;

import io.maestro.core.Dialect;
import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.Renderer;
import io.maestro.core.record.Scope;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads of the change log, limited in SQL to what the caller may read. */
@Service
public class HistoryQueries {
    private final NamedParameterJdbcTemplate jdbc;
    private final Dialect dialect;
    private final Kinds kinds;

    public HistoryQueries(NamedParameterJdbcTemplate jdbc, Dialect dialect, Kinds kinds) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.kinds = kinds;
    }

    @Transactional(readOnly = true)
    public Map<String, Object> ofRecord(Kind kind, UUID id, long page, long size, Caller caller) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        // readable if some version of it was readable: the record's team then, or a share now
        Long visible = jdbc.queryForObject("SELECT COUNT(*) FROM " + kind.table() + "_version t WHERE t.id = :id AND "
                + Scope.of(caller).predicate(kind, "t", params), params, Long.class);
        if (visible == null || visible == 0) throw ProblemException.notFound(kind.label());
        params.put("kind", kind.collection());
        params.put("limit", size);
        params.put("offset", page * size);
        List<Map<String, Object>> items = jdbc.query("SELECT seq, at, actor, action, version, kind, record_id, "
                + dialect.jsonText("changes") + " AS changes FROM record_change WHERE record_id = :id AND kind = :kind"
                + " ORDER BY seq DESC LIMIT :limit OFFSET :offset", params, (rs, i) -> entry(rs, false));
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM record_change WHERE record_id = :id AND kind = :kind", params, Long.class);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", total);
        body.put("page", page);
        body.put("size", size);
        return body;
    }

    @Transactional(readOnly = true)
    public Map<String, Object> feed(OffsetDateTime since, OffsetDateTime until, String kind, String actor, String action,
                                    Long cursor, int size, Caller caller) {
        Map<String, Object> params = new HashMap<>();
        List<String> where = new ArrayList<>();
        where.add(access(caller, params));
        if (since != null) { where.add("c.at >= :since"); params.put("since", since); }
        if (until != null) { where.add("c.at <= :until"); params.put("until", until); }
        if (kind != null) { where.add("c.kind = :kind"); params.put("kind", kind); }
        if (actor != null) { where.add("c.actor = :actor"); params.put("actor", actor); }
        if (action != null) { where.add("c.action = :action"); params.put("action", action); }
        if (cursor != null) { where.add("c.seq < :cursor"); params.put("cursor", cursor); }
        params.put("limit", size + 1);
        List<Map<String, Object>> items = jdbc.query("SELECT c.seq, c.at, c.actor, c.action, c.version, c.kind, c.record_id, "
                + dialect.jsonText("c.changes") + " AS changes FROM record_change c WHERE " + String.join(" AND ", where)
                + " ORDER BY c.seq DESC LIMIT :limit", params, (rs, i) -> entry(rs, true));
        Map<String, Object> body = new LinkedHashMap<>();
        boolean more = items.size() > size;
        if (more) items = items.subList(0, size);
        body.put("items", items);
        body.put("next", more ? "/api/v1/history?cursor=" + items.get(items.size() - 1).get("seq") : null);
        return body;
    }

    /** The records a caller may read: their teams' changes, records shared with them, and the catalogs. */
    private String access(Caller caller, Map<String, Object> params) {
        if (caller.globalAdmin()) return "1=1";
        List<String> global = kinds.all().stream().filter(Kind::global).map(Kind::collection).toList();
        params.put("global_kinds", global);
        params.put("me", caller.userId());
        String shared = "c.record_id IN (SELECT a.record_id FROM record_access a WHERE a.user_id = :me"
                + (caller.teamIds().isEmpty() ? "" : " OR a.team_id IN (:teams)") + ")";
        String own = "";
        if (!caller.teamIds().isEmpty()) {
            params.put("teams", caller.teamIds());
            own = "c.team_id IN (:teams) OR ";
        }
        return "(" + own + shared + " OR c.kind IN (:global_kinds))";
    }

    private static Map<String, Object> entry(ResultSet rs, boolean withRecord) throws SQLException {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("seq", rs.getLong("seq"));
        e.put("at", Renderer.time(rs.getObject("at", OffsetDateTime.class)));
        e.put("actor", rs.getString("actor"));
        e.put("action", rs.getString("action"));
        e.put("version", rs.getLong("version"));
        if (withRecord) {
            e.put("kind", rs.getString("kind"));
            e.put("id", rs.getObject("record_id", UUID.class).toString());
        }
        e.put("changes", Json.parse(rs.getString("changes")));
        return e;
    }
}
