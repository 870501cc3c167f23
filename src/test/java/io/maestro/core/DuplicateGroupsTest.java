package io.maestro.core;

import io.maestro.core.access.Caller;
import io.maestro.core.record.Kinds;
import io.maestro.core.record.RecordService;
import io.maestro.identity.CurrentCaller;
import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's list of duplicates: same hostname (any case) or private IP within a team, limited to what the caller reads. */
class DuplicateGroupsTest extends ApiTest {
    @Autowired
    RecordService records;
    @Autowired
    Kinds kinds;
    @Autowired
    CurrentCaller callers;

    @Test
    void groupsRecordsSharingAWarnedValue() {
        String a = admin().post("/servers", Map.of("hostname", "web01", "ipv4_private", "10.0.0.1")).id();
        String b = admin().post("/servers", Map.of("hostname", "WEB01", "ipv4_private", "10.0.0.2")).id();
        String c = admin().post("/servers", Map.of("hostname", "db01", "ipv4_private", "10.0.0.1")).id();
        admin().post("/servers", Map.of("hostname", "lonely", "ipv4_private", "10.0.0.3"));

        List<RecordService.DuplicateGroup> groups = records.duplicateGroups(kinds.get("servers"), callers.forUser("admin", null, false), 20);
        assertThat(groups).extracting(RecordService.DuplicateGroup::code).containsExactly("duplicate_hostname", "duplicate_ipv4_private");
        assertThat(groups.get(0).value()).isEqualTo("web01");
        assertThat(groups.get(0).records().keySet()).containsExactlyInAnyOrder(UUID.fromString(a), UUID.fromString(b));
        assertThat(groups.get(1).value()).isEqualTo("10.0.0.1");
        assertThat(groups.get(1).records().keySet()).containsExactlyInAnyOrder(UUID.fromString(a), UUID.fromString(c));

        // someone of no team with access sees none of them
        Caller outsider = new Caller(UUID.randomUUID(), "outsider", false, List.of(), List.of(), null, null, false);
        assertThat(records.duplicateGroups(kinds.get("servers"), outsider, 20)).isEmpty();
    }
}
