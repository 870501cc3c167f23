-- Lists sort text case-insensitively (ORDER BY LOWER(name), id): the name indexes follow, so
-- the default sort (name) and sort=hostname still read a page from an index at any size.
-- The replaced indexes served only the case-sensitive order (filters on hostname use LOWER too).
DROP INDEX server_name_id;
CREATE INDEX server_name_lower_id ON server (lower(name), id);
DROP INDEX application_name_id;
CREATE INDEX application_name_lower_id ON application (lower(name), id);
DROP INDEX database_instance_name_id;
CREATE INDEX database_instance_name_lower_id ON database_instance (lower(name), id);
DROP INDEX load_balancer_name_id;
CREATE INDEX load_balancer_name_lower_id ON load_balancer (lower(name), id);
DROP INDEX datacenter_name_id;
CREATE INDEX datacenter_name_lower_id ON datacenter (lower(name), id);
DROP INDEX business_system_name_id;
CREATE INDEX business_system_name_lower_id ON business_system (lower(name), id);
DROP INDEX client_name_id;
CREATE INDEX client_name_lower_id ON client (lower(name), id);
DROP INDEX server_hostname;
CREATE INDEX server_hostname_lower_id ON server (lower(hostname), id);
DROP INDEX service_name;
DROP INDEX provider_name;
DROP INDEX server_version_name;
CREATE INDEX server_version_name_lower ON server_version (lower(name), id);
DROP INDEX application_version_name;
CREATE INDEX application_version_name_lower ON application_version (lower(name), id);
DROP INDEX database_instance_version_name;
CREATE INDEX database_instance_version_name_lower ON database_instance_version (lower(name), id);
DROP INDEX load_balancer_version_name;
CREATE INDEX load_balancer_version_name_lower ON load_balancer_version (lower(name), id);
DROP INDEX datacenter_version_name;
CREATE INDEX datacenter_version_name_lower ON datacenter_version (lower(name), id);
DROP INDEX business_system_version_name;
CREATE INDEX business_system_version_name_lower ON business_system_version (lower(name), id);
DROP INDEX client_version_name;
CREATE INDEX client_version_name_lower ON client_version (lower(name), id);
DROP INDEX service_version_name;
CREATE INDEX service_version_name_lower ON service_version (lower(name), id);
DROP INDEX provider_version_name;
CREATE INDEX provider_version_name_lower ON provider_version (lower(name), id);
