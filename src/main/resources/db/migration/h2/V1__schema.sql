-- Maestro schema, version 1 (h2). One table per kind: typed columns for every scalar field
-- (filterable, sortable), JSON for nested lists; relations, tags and service placements are shared tables.
CREATE TABLE team (
    id UUID PRIMARY KEY,
    name VARCHAR(100) NOT NULL UNIQUE,
    email VARCHAR(255),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE app_user (
    id UUID PRIMARY KEY,
    username VARCHAR(100) NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    email VARCHAR(255),
    global_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE team_member (
    team_id UUID NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    role VARCHAR(16) NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_member_user ON team_member (user_id);

CREATE TABLE api_token (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    scope VARCHAR(8) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    revoked_at TIMESTAMP WITH TIME ZONE
);

-- Sharing of one record with a team or a user, at read, write or admin level.
CREATE TABLE record_access (
    record_id UUID NOT NULL,
    kind VARCHAR(32) NOT NULL,
    team_id UUID,
    user_id UUID,
    level VARCHAR(8) NOT NULL
);
CREATE INDEX record_access_record ON record_access (record_id);
CREATE INDEX record_access_team ON record_access (team_id, record_id);
CREATE INDEX record_access_user ON record_access (user_id, record_id);

CREATE TABLE option_item (
    list_name VARCHAR(64) NOT NULL,
    opt_value VARCHAR(100) NOT NULL,
    label VARCHAR(255) NOT NULL,
    aliases VARCHAR(4000) NOT NULL,
    attrs VARCHAR(4000) NOT NULL,
    position INT NOT NULL,
    PRIMARY KEY (list_name, opt_value)
);

CREATE TABLE server (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    hostname VARCHAR(253) NOT NULL,
    ipv4_private VARCHAR(15),
    ipv4_public VARCHAR(15),
    os_base VARCHAR(255),
    os_dist VARCHAR(64),
    os_version VARCHAR(64),
    cpu BIGINT,
    memory DOUBLE PRECISION,
    role VARCHAR(255),
    environment VARCHAR(255),
    storage CHARACTER VARYING,
    datacenter_id UUID,
    datacenter_region VARCHAR(128),
    datacenter_zone VARCHAR(128),
    datacenter_instance_id VARCHAR(255),
    auth CHARACTER VARYING
);
CREATE INDEX server_team_id ON server (team_id);
CREATE INDEX server_environment ON server (environment);
CREATE INDEX server_os_base ON server (os_base);
CREATE INDEX server_datacenter_id ON server (datacenter_id);
CREATE INDEX server_hostname ON server (hostname);
CREATE INDEX server_ipv4_private ON server (ipv4_private);
CREATE INDEX server_name_id ON server (name, id);

CREATE TABLE application (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    environment VARCHAR(255),
    language VARCHAR(255),
    cluster VARCHAR(255),
    role CHARACTER VARYING,
    deploy CHARACTER VARYING
);
CREATE INDEX application_team_id ON application (team_id);
CREATE INDEX application_environment ON application (environment);
CREATE INDEX application_name_id ON application (name, id);

CREATE TABLE database_instance (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    engine VARCHAR(255) NOT NULL,
    category VARCHAR(255),
    engine_version VARCHAR(64),
    mode VARCHAR(255),
    environment VARCHAR(255),
    spec CHARACTER VARYING,
    oracle_version VARCHAR(255),
    oracle_storage VARCHAR(255),
    oracle_mode VARCHAR(255),
    oracle_asm_groups CHARACTER VARYING,
    oracle_cdbs CHARACTER VARYING,
    oracle_dataguard CHARACTER VARYING,
    oracle_goldengate CHARACTER VARYING,
    oracle_backups CHARACTER VARYING,
    mysql_topology VARCHAR(255),
    mysql_replicas BIGINT,
    mysql_backups CHARACTER VARYING
);
CREATE INDEX database_instance_team_id ON database_instance (team_id);
CREATE INDEX database_instance_engine ON database_instance (engine);
CREATE INDEX database_instance_environment ON database_instance (environment);
CREATE INDEX database_instance_name_id ON database_instance (name, id);

CREATE TABLE load_balancer (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    service VARCHAR(255),
    spec CHARACTER VARYING,
    environment VARCHAR(255)
);
CREATE INDEX load_balancer_team_id ON load_balancer (team_id);
CREATE INDEX load_balancer_environment ON load_balancer (environment);
CREATE INDEX load_balancer_name_id ON load_balancer (name, id);

CREATE TABLE datacenter (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    provider VARCHAR(255),
    regions CHARACTER VARYING,
    zones CHARACTER VARYING
);
CREATE INDEX datacenter_team_id ON datacenter (team_id);
CREATE INDEX datacenter_provider ON datacenter (provider);
CREATE INDEX datacenter_name_id ON datacenter (name, id);

CREATE TABLE business_system (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    links CHARACTER VARYING,
    owner UUID
);
CREATE INDEX business_system_team_id ON business_system (team_id);
CREATE INDEX business_system_name_id ON business_system (name, id);

CREATE TABLE client (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    sla VARCHAR(1000),
    contacts CHARACTER VARYING
);
CREATE INDEX client_team_id ON client (team_id);
CREATE INDEX client_name_id ON client (name, id);

CREATE TABLE service (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    category VARCHAR(128)
);
CREATE INDEX service_name ON service (name);

CREATE TABLE provider (
    id UUID PRIMARY KEY,
    team_id UUID NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    name VARCHAR(255) NOT NULL,
    description VARCHAR(10000),
    regions CHARACTER VARYING,
    zones CHARACTER VARYING
);
CREATE INDEX provider_name ON provider (name);

CREATE UNIQUE INDEX server_instance ON server (datacenter_id, datacenter_instance_id);

-- Relations of every kind, written on the owning side (src) and read from both.
CREATE TABLE relation (
    src_kind VARCHAR(32) NOT NULL,
    src_id UUID NOT NULL,
    field VARCHAR(64) NOT NULL,
    dst_kind VARCHAR(32) NOT NULL,
    dst_id UUID NOT NULL,
    attr VARCHAR(64),
    position INT NOT NULL,
    PRIMARY KEY (src_id, field, dst_id)
);
CREATE INDEX relation_dst ON relation (dst_id, field);
CREATE INDEX relation_field_dst ON relation (field, dst_id);

CREATE TABLE record_tag (
    kind VARCHAR(32) NOT NULL,
    record_id UUID NOT NULL,
    tag_key VARCHAR(128) NOT NULL,
    tag_value VARCHAR(255),
    position INT NOT NULL
);
CREATE INDEX record_tag_record ON record_tag (record_id);
CREATE INDEX record_tag_key ON record_tag (kind, tag_key, tag_value);

-- What runs on each server: entries made by people (manual) and recorded for a linked database
-- or load balancer (auto, with source_id naming it).
CREATE TABLE server_service (
    server_id UUID NOT NULL,
    service_id UUID NOT NULL,
    version VARCHAR(64),
    status VARCHAR(100),
    origin VARCHAR(8) NOT NULL,
    source_id UUID,
    position INT NOT NULL
);
CREATE INDEX server_service_server ON server_service (server_id);
CREATE INDEX server_service_service ON server_service (service_id);
CREATE INDEX server_service_source ON server_service (source_id);
