package io.maestro.core.record;

import io.maestro.core.schema.Field;

import java.util.List;
import java.util.Set;

import static io.maestro.core.schema.Field.*;

/** A kind for the unit tests of the shared machinery: one field of each sort the real kinds use. */
class SampleKind extends Kind {
    @Override public String collection() { return "samples"; }
    @Override public String table() { return "sample"; }
    @Override public String label() { return "Sample"; }

    @Override
    protected List<Field> ownFields() {
        return List.of(
                hostname("hostname").required(),
                ipv4("ip"),
                url("homepage"),
                integer("cpu").range(0, 100),
                number("memory").range(0, 1000),
                bool("active"),
                option("environment", "environment"),
                object("os", string("dist").maxLength(8), string("version").acceptNumbers()),
                object("datacenter", ref("id", "datacenters"), string("region")),
                list("auth", string("name").required(), string("username"), secret("secret")).maxItems(3),
                refs("server_ids", "servers"));
    }

    @Override
    public boolean nameRequired() {
        return false;
    }

    @Override
    public Set<String> ignoredOnWrite() {
        return Set.of("server_count");
    }
}
