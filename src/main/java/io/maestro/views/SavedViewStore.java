package io.maestro.views;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Rows of {@code saved_view}. */
@Repository
public class SavedViewStore {
    private static final String COLUMNS = "SELECT v.id, v.collection, v.name, v.owner_id, u.username AS owner, v.team_id, t.name AS team, "
            + "v.query, v.columns, v.created_at FROM saved_view v JOIN app_user u ON u.id = v.owner_id LEFT JOIN team t ON t.id = v.team_id ";

    private final JdbcClient jdbc;

    SavedViewStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(SavedView v) {
        jdbc.sql("INSERT INTO saved_view (id, collection, name, owner_id, team_id, query, columns, created_at) "
                        + "VALUES (:id, :c, :n, :o, :t, :q, :cols, :at)")
                .param("id", v.id()).param("c", v.collection()).param("n", v.name()).param("o", v.ownerId())
                .param("t", v.teamId()).param("q", v.query()).param("cols", v.columns()).param("at", v.createdAt()).update();
    }

    /** The views of {@code owner} and those shared with any of {@code teams}, of one collection or (null) all, by collection then name. */
    List<SavedView> visible(UUID owner, Collection<UUID> teams, String collection) {
        String where = "WHERE (v.owner_id = :o" + (teams.isEmpty() ? "" : " OR v.team_id IN (:teams)") + ")"
                + (collection == null ? "" : " AND v.collection = :c");
        var spec = jdbc.sql(COLUMNS + where + " ORDER BY v.collection, LOWER(v.name), v.id").param("o", owner);
        if (!teams.isEmpty()) spec = spec.param("teams", teams);
        if (collection != null) spec = spec.param("c", collection);
        return spec.query(SavedViewStore::row).list();
    }

    Optional<SavedView> find(UUID id) {
        return jdbc.sql(COLUMNS + "WHERE v.id = :id").param("id", id).query(SavedViewStore::row).optional();
    }

    void update(UUID id, String name, String query, String columns, UUID teamId) {
        jdbc.sql("UPDATE saved_view SET name = :n, query = :q, columns = :cols, team_id = :t WHERE id = :id")
                .param("n", name).param("q", query).param("cols", columns).param("t", teamId).param("id", id).update();
    }

    void delete(UUID id) {
        jdbc.sql("DELETE FROM saved_view WHERE id = :id").param("id", id).update();
    }

    private static SavedView row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new SavedView(rs.getObject("id", UUID.class), rs.getString("collection"), rs.getString("name"),
                rs.getObject("owner_id", UUID.class), rs.getString("owner"), rs.getObject("team_id", UUID.class), rs.getString("team"),
                rs.getString("query"), rs.getString("columns"), rs.getObject("created_at", OffsetDateTime.class));
    }
}
