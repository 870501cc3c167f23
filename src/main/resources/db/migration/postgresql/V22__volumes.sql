-- Volumes: block storage a server uses (a disk, an EBS volume), in a datacenter. Team-owned
-- like every inventory kind; the columns follow inventory/volume/VolumeKind (the migration
-- schema test compares them), the version table adds valid_from, valid_to and doc.
CREATE TABLE volume (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    size_gb DOUBLE PRECISION,
    type VARCHAR(255),
    server_id UUID,
    datacenter_id UUID,
    source_type VARCHAR(16) DEFAULT 'manual',
    source_name VARCHAR(255),
    source_id VARCHAR(64),
    source_address VARCHAR(1024),
    external_id VARCHAR(1024),
    last_seen_at VARCHAR(30),
    stale BOOLEAN DEFAULT FALSE,
    stale_since VARCHAR(30),
    missing_since VARCHAR(30),
    drift BOOLEAN DEFAULT FALSE
);
CREATE INDEX volume_team_id ON volume (team_id);
CREATE INDEX volume_name_lower_id ON volume (lower(name), id);
CREATE INDEX volume_updated_at ON volume (updated_at);
-- reference columns: filters, reverse reads and delete cleanup look records up by them
CREATE INDEX volume_server_id ON volume (server_id);
CREATE INDEX volume_datacenter_id ON volume (datacenter_id);
CREATE INDEX volume_external_id ON volume (external_id);
CREATE INDEX volume_source_id ON volume (source_id, last_seen_at);
CREATE INDEX volume_name_trgm ON volume USING gin (name gin_trgm_ops);

CREATE TABLE volume_version (
    id UUID NOT NULL,
    team_id UUID,
    version BIGINT,
    created_at TIMESTAMP WITH TIME ZONE,
    updated_at TIMESTAMP WITH TIME ZONE,
    name VARCHAR(255),
    description VARCHAR(10000),
    size_gb DOUBLE PRECISION,
    type VARCHAR(255),
    server_id UUID,
    datacenter_id UUID,
    source_type VARCHAR(16),
    source_name VARCHAR(255),
    source_id VARCHAR(64),
    source_address VARCHAR(1024),
    external_id VARCHAR(1024),
    last_seen_at VARCHAR(30),
    stale BOOLEAN,
    stale_since VARCHAR(30),
    missing_since VARCHAR(30),
    drift BOOLEAN,
    valid_from TIMESTAMP WITH TIME ZONE NOT NULL,
    valid_to TIMESTAMP WITH TIME ZONE,
    doc JSONB NOT NULL
);
CREATE INDEX volume_version_id ON volume_version (id, valid_from);
CREATE INDEX volume_version_valid ON volume_version (valid_from, valid_to);
CREATE INDEX volume_version_name_lower ON volume_version (lower(name), id);
CREATE INDEX volume_version_ended ON volume_version (valid_to) WHERE valid_to IS NOT NULL;
