-- History of links (h2): relations, tags and service entries with validity ranges, so
-- as_of lists filter by them and reads show reverse relations as they stood. A row holds one link
-- from valid_from until valid_to (NULL: still current); HistoryLog writes them in the transaction
-- of each change, when a record's links differ from its previous version's. Indexed like the live
-- tables: by target, tag or service (filters, reverse lists), and by owner with valid_from, not
-- only the open rows: a page in sort order probes each record's links then, as the live list does.
-- H2 has no partial indexes.

CREATE TABLE relation_version (
    src_kind VARCHAR(32) NOT NULL,
    src_id UUID NOT NULL,
    field VARCHAR(64) NOT NULL,
    dst_id UUID NOT NULL,
    valid_from TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_to TIMESTAMP WITH TIME ZONE
);
CREATE INDEX relation_version_dst ON relation_version (dst_id, field, valid_from);
CREATE INDEX relation_version_src ON relation_version (src_id, valid_from);
CREATE INDEX relation_version_ended ON relation_version (valid_to);

CREATE TABLE record_tag_version (
    kind VARCHAR(32) NOT NULL,
    record_id UUID NOT NULL,
    tag_key VARCHAR(128) NOT NULL,
    tag_value VARCHAR(255),
    valid_from TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_to TIMESTAMP WITH TIME ZONE
);
CREATE INDEX record_tag_version_key ON record_tag_version (kind, tag_key, tag_value, valid_from);
CREATE INDEX record_tag_version_record ON record_tag_version (record_id, valid_from);
CREATE INDEX record_tag_version_ended ON record_tag_version (valid_to);

CREATE TABLE server_service_version (
    server_id UUID NOT NULL,
    service_id UUID NOT NULL,
    valid_from TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_to TIMESTAMP WITH TIME ZONE
);
CREATE INDEX server_service_version_service ON server_service_version (service_id, valid_from);
CREATE INDEX server_service_version_server ON server_service_version (server_id, valid_from);
CREATE INDEX server_service_version_ended ON server_service_version (valid_to);

-- Existing links: each record's current version holds exactly its current links (every link
-- change makes a new version), so they are valid since that version's valid_from. Links of
-- earlier versions are not reconstructed: for instants before this upgrade, link filters and
-- reverse relations know only the links current at the upgrade (a record's own as_of document
-- still shows its links then). Records without a version (never changed since history began)
-- get theirs with their first version.

-- The version of each record valid now, of every kind.
CREATE VIEW current_version AS
    SELECT id, valid_from FROM server_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM application_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM database_instance_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM load_balancer_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM datacenter_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM business_system_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM client_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM service_version WHERE valid_to IS NULL
    UNION ALL SELECT id, valid_from FROM provider_version WHERE valid_to IS NULL;

INSERT INTO relation_version (src_kind, src_id, field, dst_id, valid_from)
SELECT DISTINCT r.src_kind, r.src_id, r.field, r.dst_id, v.valid_from FROM relation r JOIN current_version v ON v.id = r.src_id;

INSERT INTO record_tag_version (kind, record_id, tag_key, tag_value, valid_from)
SELECT DISTINCT g.kind, g.record_id, g.tag_key, g.tag_value, v.valid_from FROM record_tag g JOIN current_version v ON v.id = g.record_id;

INSERT INTO server_service_version (server_id, service_id, valid_from)
SELECT DISTINCT ss.server_id, ss.service_id, v.valid_from FROM server_service ss JOIN current_version v ON v.id = ss.server_id;

DROP VIEW current_version;
