-- Provenance (postgresql): where each record comes from (sources.md). source_* and external_id are set
-- by a source's writes only; last_seen_at, stale, stale_since, missing_since and drift are moved by the
-- reconciler (being seen again is not a change of the record). Times are ISO-8601 text (Renderer.time).
-- ADD COLUMN ... DEFAULT fills the rows already there: they read source.type manual.

ALTER TABLE server ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE server ADD COLUMN source_name VARCHAR(255);
ALTER TABLE server ADD COLUMN source_id VARCHAR(64);
ALTER TABLE server ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE server ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE server ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE server ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE server ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE server ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE server ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE server_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE server_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE server_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE server_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE server_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE server_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE server_version ADD COLUMN stale BOOLEAN;
ALTER TABLE server_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE server_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE server_version ADD COLUMN drift BOOLEAN;
CREATE INDEX server_external_id ON server (external_id);
CREATE INDEX server_source_id ON server (source_id, last_seen_at);

ALTER TABLE application ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE application ADD COLUMN source_name VARCHAR(255);
ALTER TABLE application ADD COLUMN source_id VARCHAR(64);
ALTER TABLE application ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE application ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE application ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE application ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE application ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE application ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE application ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE application_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE application_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE application_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE application_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE application_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE application_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE application_version ADD COLUMN stale BOOLEAN;
ALTER TABLE application_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE application_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE application_version ADD COLUMN drift BOOLEAN;
CREATE INDEX application_external_id ON application (external_id);
CREATE INDEX application_source_id ON application (source_id, last_seen_at);

ALTER TABLE database_instance ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE database_instance ADD COLUMN source_name VARCHAR(255);
ALTER TABLE database_instance ADD COLUMN source_id VARCHAR(64);
ALTER TABLE database_instance ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE database_instance ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE database_instance ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE database_instance ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE database_instance ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE database_instance ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE database_instance ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE database_instance_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE database_instance_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE database_instance_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE database_instance_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE database_instance_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE database_instance_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE database_instance_version ADD COLUMN stale BOOLEAN;
ALTER TABLE database_instance_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE database_instance_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE database_instance_version ADD COLUMN drift BOOLEAN;
CREATE INDEX database_instance_external_id ON database_instance (external_id);
CREATE INDEX database_instance_source_id ON database_instance (source_id, last_seen_at);

ALTER TABLE load_balancer ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE load_balancer ADD COLUMN source_name VARCHAR(255);
ALTER TABLE load_balancer ADD COLUMN source_id VARCHAR(64);
ALTER TABLE load_balancer ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE load_balancer ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE load_balancer ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE load_balancer ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE load_balancer ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE load_balancer ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE load_balancer ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE load_balancer_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE load_balancer_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE load_balancer_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE load_balancer_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE load_balancer_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE load_balancer_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE load_balancer_version ADD COLUMN stale BOOLEAN;
ALTER TABLE load_balancer_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE load_balancer_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE load_balancer_version ADD COLUMN drift BOOLEAN;
CREATE INDEX load_balancer_external_id ON load_balancer (external_id);
CREATE INDEX load_balancer_source_id ON load_balancer (source_id, last_seen_at);

ALTER TABLE datacenter ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE datacenter ADD COLUMN source_name VARCHAR(255);
ALTER TABLE datacenter ADD COLUMN source_id VARCHAR(64);
ALTER TABLE datacenter ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE datacenter ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE datacenter ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE datacenter ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE datacenter ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE datacenter ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE datacenter ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE datacenter_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE datacenter_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE datacenter_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE datacenter_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE datacenter_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE datacenter_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE datacenter_version ADD COLUMN stale BOOLEAN;
ALTER TABLE datacenter_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE datacenter_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE datacenter_version ADD COLUMN drift BOOLEAN;
CREATE INDEX datacenter_external_id ON datacenter (external_id);
CREATE INDEX datacenter_source_id ON datacenter (source_id, last_seen_at);

ALTER TABLE business_system ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE business_system ADD COLUMN source_name VARCHAR(255);
ALTER TABLE business_system ADD COLUMN source_id VARCHAR(64);
ALTER TABLE business_system ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE business_system ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE business_system ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE business_system ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE business_system ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE business_system ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE business_system ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE business_system_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE business_system_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE business_system_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE business_system_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE business_system_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE business_system_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE business_system_version ADD COLUMN stale BOOLEAN;
ALTER TABLE business_system_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE business_system_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE business_system_version ADD COLUMN drift BOOLEAN;
CREATE INDEX business_system_external_id ON business_system (external_id);
CREATE INDEX business_system_source_id ON business_system (source_id, last_seen_at);

ALTER TABLE client ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE client ADD COLUMN source_name VARCHAR(255);
ALTER TABLE client ADD COLUMN source_id VARCHAR(64);
ALTER TABLE client ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE client ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE client ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE client ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE client ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE client ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE client ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE client_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE client_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE client_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE client_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE client_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE client_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE client_version ADD COLUMN stale BOOLEAN;
ALTER TABLE client_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE client_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE client_version ADD COLUMN drift BOOLEAN;
CREATE INDEX client_external_id ON client (external_id);
CREATE INDEX client_source_id ON client (source_id, last_seen_at);

ALTER TABLE service ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE service ADD COLUMN source_name VARCHAR(255);
ALTER TABLE service ADD COLUMN source_id VARCHAR(64);
ALTER TABLE service ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE service ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE service ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE service ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE service ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE service ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE service ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE service_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE service_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE service_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE service_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE service_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE service_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE service_version ADD COLUMN stale BOOLEAN;
ALTER TABLE service_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE service_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE service_version ADD COLUMN drift BOOLEAN;
CREATE INDEX service_external_id ON service (external_id);
CREATE INDEX service_source_id ON service (source_id, last_seen_at);

ALTER TABLE provider ADD COLUMN source_type VARCHAR(16) DEFAULT 'manual';
ALTER TABLE provider ADD COLUMN source_name VARCHAR(255);
ALTER TABLE provider ADD COLUMN source_id VARCHAR(64);
ALTER TABLE provider ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE provider ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE provider ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE provider ADD COLUMN stale BOOLEAN DEFAULT FALSE;
ALTER TABLE provider ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE provider ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE provider ADD COLUMN drift BOOLEAN DEFAULT FALSE;
ALTER TABLE provider_version ADD COLUMN source_type VARCHAR(16);
ALTER TABLE provider_version ADD COLUMN source_name VARCHAR(255);
ALTER TABLE provider_version ADD COLUMN source_id VARCHAR(64);
ALTER TABLE provider_version ADD COLUMN source_address VARCHAR(1024);
ALTER TABLE provider_version ADD COLUMN external_id VARCHAR(1024);
ALTER TABLE provider_version ADD COLUMN last_seen_at VARCHAR(30);
ALTER TABLE provider_version ADD COLUMN stale BOOLEAN;
ALTER TABLE provider_version ADD COLUMN stale_since VARCHAR(30);
ALTER TABLE provider_version ADD COLUMN missing_since VARCHAR(30);
ALTER TABLE provider_version ADD COLUMN drift BOOLEAN;
CREATE INDEX provider_external_id ON provider (external_id);
CREATE INDEX provider_source_id ON provider (source_id, last_seen_at);

-- Who owns each field a source set: 'source' (later runs keep it current) or 'person' (changed by a
-- person after the source set it: kept, and reported as drift while it differs from observed).
CREATE TABLE record_field_owner (
    record_id UUID NOT NULL,
    kind VARCHAR(32) NOT NULL,
    field VARCHAR(255) NOT NULL,
    owner VARCHAR(8) NOT NULL,
    observed TEXT,
    PRIMARY KEY (record_id, field)
);

-- Discovery connections (team-owned; the secret sealed with the server's key) and their change log.
CREATE TABLE source_connection (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    name VARCHAR(100) NOT NULL,
    provider VARCHAR(16) NOT NULL,
    datacenter_id UUID NOT NULL,
    regions VARCHAR(4000) NOT NULL,
    resources VARCHAR(1000) NOT NULL,
    access_key_id VARCHAR(128),
    secret_sealed VARCHAR(4000),
    endpoint_url VARCHAR(2048),
    schedule VARCHAR(32),
    stale_after VARCHAR(32) NOT NULL,
    enabled BOOLEAN NOT NULL,
    next_run_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX source_connection_team_name ON source_connection (team_id, name);

CREATE TABLE source_connection_change (
    seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    connection_id UUID NOT NULL,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    at TIMESTAMP WITH TIME ZONE NOT NULL,
    actor VARCHAR(255) NOT NULL,
    action VARCHAR(8) NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX source_connection_change_id ON source_connection_change (connection_id, seq);

-- Runs of a connection. active_for holds the connection id while the run is queued or running: the
-- unique index lets one run at a time per connection in the whole cluster.
CREATE TABLE source_run (
    id UUID PRIMARY KEY,
    connection_id UUID NOT NULL,
    active_for UUID,
    status VARCHAR(16) NOT NULL,
    trigger_kind VARCHAR(16) NOT NULL,
    cancel_requested BOOLEAN NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    phase VARCHAR(255),
    done BIGINT NOT NULL,
    total BIGINT NOT NULL,
    counts VARCHAR(1000) NOT NULL,
    problems TEXT NOT NULL,
    detail VARCHAR(2000),
    heartbeat_at TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX source_run_active ON source_run (active_for);
CREATE INDEX source_run_connection ON source_run (connection_id, created_at);
