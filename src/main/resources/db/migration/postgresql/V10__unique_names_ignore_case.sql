-- The same version as H2's V10, which adds there the UNIQUE (lower(name)) indexes of the
-- catalogs that PostgreSQL has had since V1 (service_name_lower, provider_name_lower).
-- Every other uniqueness rule (team name, username, token hash, a server's
-- (datacenter_id, datacenter_instance_id)) is already the same in both dialects.
SELECT 1;
