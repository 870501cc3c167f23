-- File imports (sources.md, File imports): one row per import. source_id is the same for every import
-- of one name in one team, so a re-import is the same source to the reconciler (its records, its fields).
-- observations holds what the file said, read once: a dry run's plan is applied from it.
CREATE TABLE source_import (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    source_id UUID NOT NULL,
    name VARCHAR(100) NOT NULL,
    format VARCHAR(16) NOT NULL,
    datacenter_id UUID,
    dry_run BOOLEAN NOT NULL,
    status VARCHAR(16) NOT NULL,
    actor VARCHAR(255) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    applied_at TIMESTAMP WITH TIME ZONE,
    phase VARCHAR(255),
    done BIGINT NOT NULL,
    total BIGINT NOT NULL,
    counts VARCHAR(1000) NOT NULL,
    problems CLOB NOT NULL,
    detail VARCHAR(2000),
    observations CLOB NOT NULL,
    plan CLOB,
    touched CLOB,
    heartbeat_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX source_import_team ON source_import (team_id, created_at);
CREATE INDEX source_import_source ON source_import (team_id, source_id);
