-- Insight: saved reports (team-owned: a name, the collection, and the list parameters, columns
-- and grouping that run it, as JSON text), and the index that lets an as_of impact walk start
-- from a datacenter's servers without reading every server version.
CREATE TABLE saved_report (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    collection VARCHAR(32) NOT NULL,
    filters CHARACTER VARYING NOT NULL,
    report_columns CHARACTER VARYING NOT NULL,
    group_by CHARACTER VARYING NOT NULL
);
CREATE INDEX saved_report_team ON saved_report (team_id, name);

CREATE INDEX server_version_datacenter ON server_version (datacenter_id, valid_from);
