package io.maestro.sources.aws;

import io.maestro.sources.Observation;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * RDS DB instances of one region as database observations (sources.md, "AWS → Maestro"), keyed by
 * {@code DbiResourceId}: immutable, where the identifier can be renamed.
 */
final class RdsDatabases {
    private final RdsClient rds;
    private final UUID datacenterId;

    RdsDatabases(RdsClient rds, UUID datacenterId) {
        this.rds = rds;
        this.datacenterId = datacenterId;
    }

    void read(Consumer<List<Observation>> page) {
        for (DescribeDbInstancesResponse response : rds.describeDBInstancesPaginator(b -> b.maxRecords(100))) {
            List<Observation> out = new ArrayList<>();
            for (DBInstance db : response.dbInstances()) {
                if (db.dbiResourceId() == null || "deleting".equals(db.dbInstanceStatus())) continue;
                out.add(database(db));
            }
            if (!out.isEmpty()) page.accept(out);
        }
    }

    private Observation database(DBInstance db) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", db.dbInstanceIdentifier());
        d.put("engine", io.maestro.sources.DatabaseEngines.of(db.engine()));
        if (db.engineVersion() != null) d.put("engine_version", db.engineVersion());
        Map<String, Object> spec = new LinkedHashMap<>();
        if (db.endpoint() != null && db.endpoint().address() != null) spec.put("endpoint", db.endpoint().address());
        if (db.endpoint() != null && db.endpoint().port() != null) spec.put("port", db.endpoint().port());
        if (!spec.isEmpty()) d.put("spec", spec);
        // the db_mode list has no "multi-AZ": a Multi-AZ instance is a primary with a standby replica
        d.put("mode", Boolean.TRUE.equals(db.multiAZ()) ? "Master/Replica" : "Single instance");
        d.put("datacenter_ids", List.of(datacenterId.toString()));
        return new Observation(db.dbiResourceId(), d);
    }

}
