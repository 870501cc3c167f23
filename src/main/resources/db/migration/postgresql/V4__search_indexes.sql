-- q searches these columns too: trigram indexes so it never scans the table.
CREATE INDEX server_instance_id_trgm ON server USING gin (datacenter_instance_id gin_trgm_ops);
CREATE INDEX server_ipv4_public_trgm ON server USING gin (ipv4_public gin_trgm_ops);
-- The most common list filters, together, so that page and total are index scans.
CREATE INDEX server_team_env_os ON server (team_id, environment, os_base);
CREATE INDEX application_team_env ON application (team_id, environment);
CREATE INDEX database_instance_team_engine ON database_instance (team_id, engine, environment);
