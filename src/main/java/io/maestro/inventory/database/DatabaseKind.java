package io.maestro.inventory.database;

import io.maestro.core.options.OptionsService;
import io.maestro.core.record.Draft;
import io.maestro.core.record.Errors;
import io.maestro.core.record.Kind;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.KindUi;
import io.maestro.core.schema.KindUi.Cell;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;

import static io.maestro.core.schema.Field.*;

/**
 * Anything with data-persistence responsibility. Oracle and the MySQL family have their own
 * sections; the engine option's {@code family} attribute says which section an engine takes,
 * and its {@code service} attribute which catalog service it runs on its servers (empty: none).
 */
@Component
@Order(30)
public class DatabaseKind extends Kind {
    private final OptionsService options;

    public DatabaseKind(OptionsService options) {
        this.options = options;
    }

    @Override public String collection() { return "databases"; }
    @Override public String table() { return "database_instance"; }
    @Override public String label() { return "Database"; }

    @Override
    public KindUi ui() {
        return new KindUi()
                .column("name", "Name", Cell.TEXT, true).column("engine", "Engine", Cell.OPTION, true)
                .column("engine_version", "Version", Cell.TEXT, true).column("environment", "Environment", Cell.ENV, true)
                .column("category", "Category", Cell.OPTION, true).teamColumn()
                .filters("environment", "engine", "category", "team_id")
                .tab("general", "General", "name", "engine", "engine_version", "category", "mode", "environment", "description", "tags")
                .tab("spec", "Spec", "spec")
                .tab("servers", "Servers & datacenters", "server_ids", "datacenter_ids", "system_ids")
                .tab("oracle", "Oracle", "oracle")
                .tab("mysql", "MySQL", "mysql")
                .tab("related", "Used by", KindUi.RELATED)
                .label("engine_version", "Version").label("asm_groups", "ASM disk groups").label("cdbs", "CDBs").label("pdbs", "PDBs")
                .label("dataguard", "Data Guard").label("goldengate", "GoldenGate").label("oracle", "Oracle").label("mysql", "MySQL")
                .label("mode", "Mode").label("oracle.mode", "Oracle mode").label("oracle.version", "Oracle version")
                .label("oracle.storage", "Storage").label("mysql.topology", "Topology")
                .freeformKeys("spec", "endpoint", "port", "commands", "health_check")
                // the db_engine option's family decides which engine section applies
                .familySection("oracle", "oracle").familySection("mysql", "mysql");
    }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                option("engine", "db_engine").required(),
                option("category", "db_category"),
                string("engine_version").maxLength(64).acceptNumbers(),
                option("mode", "db_mode"),
                option("environment", "environment"),
                freeform("spec"),
                refs("server_ids", "servers"),
                refs("datacenter_ids", "datacenters"),
                refs("system_ids", "systems"),
                object("oracle",
                        option("version", "oracle_version"),
                        option("storage", "oracle_storage"),
                        option("mode", "oracle_mode"),
                        list("asm_groups", string("name").maxLength(128).required(), number("size_gb").range(0, 1e12)).maxItems(200),
                        list("cdbs", string("name").maxLength(128).required(),
                                listOf("pdbs", string("pdb").maxLength(128)).maxItems(500)).maxItems(200),
                        any("dataguard"),
                        any("goldengate"),
                        any("backups")),
                object("mysql",
                        option("topology", "mysql_topology"),
                        integer("replicas").range(0, 10_000),
                        any("backups")));
    }

    /**
     * Every record's {@code version} is its change counter, so the engine's version is
     * {@code engine_version}. A string {@code version} (what the contract calls the field) is
     * taken as the engine version, and wins over engine_version: a merge patch
     * {@code {"version": "21c"}} meets the stored engine_version here; a number is the change
     * counter sent back, and ignored.
     */
    @Override
    public void prepare(Map<String, Object> input) {
        if (input.get("version") instanceof String v) input.put("engine_version", v);
    }

    @Override
    public void check(Draft draft, Errors errors) {
        if (draft.string("engine") == null) return; // missing or unknown: already an error, sections cannot be judged
        String family = family(draft.string("engine"));
        // a section whose content is invalid was still sent: say that it does not belong here either
        if ((hasSection(draft, "oracle.") || errors.has("oracle")) && !"oracle".equals(family)) {
            errors.add("oracle", "only for engine Oracle (engine is " + draft.string("engine") + ")");
        }
        if ((hasSection(draft, "mysql.") || errors.has("mysql")) && !"mysql".equals(family)) {
            errors.add("mysql", "only for the MySQL family: MySQL, MariaDB, Aurora, Percona (engine is " + draft.string("engine") + ")");
        }
    }

    @Override
    public AutoService autoService() {
        return new AutoService("server_ids", draft -> options.find("db_engine", draft.string("engine"))
                .map(o -> o.attrs().getOrDefault("service", o.label())).filter(s -> !s.isBlank()).orElse(null));
    }

    private String family(String engine) {
        return options.find("db_engine", engine).map(o -> o.attrs().get("family")).orElse(null);
    }

    private static boolean hasSection(Draft draft, String prefix) {
        for (Map.Entry<String, Object> e : draft.values.entrySet()) {
            if (!e.getKey().startsWith(prefix)) continue;
            Object v = e.getValue();
            if (v != null && !(v instanceof List<?> l && l.isEmpty())) return true;
        }
        return false;
    }
}
