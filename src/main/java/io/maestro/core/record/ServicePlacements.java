package io.maestro.core.record;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What runs on each server: {@code server_service} rows, either added by a person
 * ({@code origin = manual}) or recorded automatically for a database or load balancer linked to
 * the server ({@code origin = auto}, with {@code source_id} naming that record). Automatic rows
 * come and go with their source; hand-made ones are never touched by them.
 */
@Repository
public class ServicePlacements {
    private final NamedParameterJdbcTemplate jdbc;

    public ServicePlacements(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One service on one server, as read. */
    public record Placement(UUID serverId, UUID serviceId, String serviceName, String version, String status,
                            String origin, UUID sourceId) {
    }

    public void replaceManual(UUID serverId, List<Draft.ServiceEntry> entries) {
        replaceManualAll(Map.of(serverId, entries));
    }

    /** Replaces the hand-made entries of each server with one delete and one batch insert. */
    public void replaceManualAll(Map<UUID, List<Draft.ServiceEntry>> entriesByServer) {
        if (entriesByServer.isEmpty()) return;
        jdbc.update("DELETE FROM server_service WHERE server_id IN (:ids) AND origin = 'manual'", Map.of("ids", entriesByServer.keySet()));
        List<Map<String, Object>> rows = new ArrayList<>();
        entriesByServer.forEach((serverId, entries) -> {
            for (int i = 0; i < entries.size(); i++) {
                Draft.ServiceEntry e = entries.get(i);
                Map<String, Object> r = new HashMap<>();
                r.put("server", serverId);
                r.put("service", e.serviceId());
                r.put("version", e.version());
                r.put("status", e.status());
                r.put("position", i);
                rows.add(r);
            }
        });
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO server_service (server_id, service_id, version, status, origin, source_id, position) "
                    + "VALUES (:server, :service, :version, :status, 'manual', NULL, :position)", RecordStore.batch(rows));
        }
    }

    /**
     * Makes the automatic entries of {@code sourceId} exactly: {@code serviceId} on each of
     * {@code serverIds} (none when serviceId is null). Returns the servers whose entries changed.
     */
    public Set<UUID> syncAuto(UUID sourceId, UUID serviceId, List<UUID> serverIds) {
        Map<UUID, UUID> current = new LinkedHashMap<>();
        jdbc.query("SELECT server_id, service_id FROM server_service WHERE source_id = :src", Map.of("src", sourceId),
                rs -> {
                    current.put(rs.getObject("server_id", UUID.class), rs.getObject("service_id", UUID.class));
                });
        Set<UUID> changed = new java.util.LinkedHashSet<>();
        for (Map.Entry<UUID, UUID> e : current.entrySet()) {
            if (serviceId == null || !serverIds.contains(e.getKey()) || !serviceId.equals(e.getValue())) {
                jdbc.update("DELETE FROM server_service WHERE source_id = :src AND server_id = :server",
                        Map.of("src", sourceId, "server", e.getKey()));
                changed.add(e.getKey());
            }
        }
        if (serviceId != null) {
            for (UUID server : serverIds) {
                if (serviceId.equals(current.get(server))) continue;
                Map<String, Object> p = new HashMap<>();
                p.put("server", server);
                p.put("service", serviceId);
                p.put("src", sourceId);
                jdbc.update("INSERT INTO server_service (server_id, service_id, version, status, origin, source_id, position) "
                        + "VALUES (:server, :service, NULL, 'Active', 'auto', :src, 1000)", p);
                changed.add(server);
            }
        }
        return changed;
    }

    /** Removes everything of a server being deleted, and automatic entries of a source being deleted. */
    public void deleteFor(UUID id) {
        jdbc.update("DELETE FROM server_service WHERE server_id = :id OR source_id = :id", Map.of("id", id));
    }

    public long countUsing(UUID serviceId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM server_service WHERE service_id = :id", Map.of("id", serviceId), Long.class);
        return n == null ? 0 : n;
    }

    public void deleteService(UUID serviceId) {
        jdbc.update("DELETE FROM server_service WHERE service_id = :id", Map.of("id", serviceId));
    }

    /** Servers on which {@code serviceId} runs (manual or automatic entries). */
    public java.util.List<UUID> serversRunning(UUID serviceId) {
        return jdbc.queryForList("SELECT DISTINCT server_id FROM server_service WHERE service_id = :id", Map.of("id", serviceId), UUID.class);
    }

    /** Servers holding an automatic entry of {@code sourceId} (a database or load balancer). */
    public java.util.List<UUID> serversWithEntriesOf(UUID sourceId) {
        return jdbc.queryForList("SELECT DISTINCT server_id FROM server_service WHERE source_id = :id", Map.of("id", sourceId), UUID.class);
    }
}
