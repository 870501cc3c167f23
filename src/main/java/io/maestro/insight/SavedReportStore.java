package io.maestro.insight;

import io.maestro.core.Json;
import io.maestro.core.access.Caller;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** SQL of saved reports ({@code saved_report}); {@link SavedReports} checks and decides. */
@Repository
class SavedReportStore {
    private final NamedParameterJdbcTemplate jdbc;

    SavedReportStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What a report stores besides its id and times. */
    record Values(UUID team, String name, String collection, Map<String, Object> filters, List<String> columns, List<String> groupBy) {
    }

    /** The reports of the caller's teams (a global admin: all), by name. */
    List<SavedReports.Report> readable(Caller caller) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.query("SELECT * FROM saved_report r WHERE " + readable(caller, params) + " ORDER BY LOWER(r.name), r.id", params, this::row);
    }

    Optional<SavedReports.Report> find(UUID id, Caller caller) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        return jdbc.query("SELECT * FROM saved_report r WHERE r.id = :id AND " + readable(caller, params), params, this::row).stream().findFirst();
    }

    void insert(UUID id, Values v, OffsetDateTime now) {
        jdbc.update("INSERT INTO saved_report (id, team_id, version, created_at, updated_at, name, collection, filters, report_columns, group_by)"
                + " VALUES (:id, :team, 1, :now, :now, :name, :collection, :filters, :columns, :group_by)", params(id, v, now));
    }

    void update(UUID id, Values v, OffsetDateTime now) {
        jdbc.update("UPDATE saved_report SET team_id = :team, version = version + 1, updated_at = :now, name = :name, collection = :collection,"
                + " filters = :filters, report_columns = :columns, group_by = :group_by WHERE id = :id", params(id, v, now));
    }

    void delete(UUID id) {
        jdbc.update("DELETE FROM saved_report WHERE id = :id", Map.of("id", id));
    }

    private static Map<String, Object> params(UUID id, Values v, OffsetDateTime now) {
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        params.put("now", now);
        params.put("team", v.team());
        params.put("name", v.name());
        params.put("collection", v.collection());
        params.put("filters", Json.write(v.filters()));
        params.put("columns", Json.write(v.columns()));
        params.put("group_by", Json.write(v.groupBy()));
        return params;
    }

    private static String readable(Caller caller, Map<String, Object> params) {
        if (caller.globalAdmin()) return "1=1";
        if (caller.teamIds().isEmpty()) return "1=0";
        params.put("teams", caller.teamIds());
        return "r.team_id IN (:teams)";
    }

    @SuppressWarnings("unchecked")
    private SavedReports.Report row(ResultSet rs, int i) throws SQLException {
        return new SavedReports.Report(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class), rs.getLong("version"),
                rs.getObject("created_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                rs.getObject("updated_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC), rs.getString("name"),
                rs.getString("collection"), (Map<String, Object>) Json.parse(rs.getString("filters")),
                (List<String>) Json.parse(rs.getString("report_columns")), (List<String>) Json.parse(rs.getString("group_by")));
    }
}
