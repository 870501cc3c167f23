-- Bulk upserts and discovery look servers up by instance id (then match the datacenter).
CREATE INDEX server_instance_id ON server (datacenter_instance_id);
-- Duplicate warnings look up private IPs within a team.
CREATE INDEX server_team_ipv4_private ON server (team_id, ipv4_private);
-- as_of lists filter the version rows like live lists (validity range carried in the index).
CREATE INDEX server_version_team_env_os ON server_version (team_id, environment, os_base) INCLUDE (valid_from, valid_to);
