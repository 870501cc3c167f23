-- as_of counts: live rows changed since a moment (updated_at), and ended versions valid then
-- (valid_to; current versions left out of the index): see RecordStore.listAsOf.
CREATE INDEX server_updated_at ON server (updated_at);
CREATE INDEX server_version_ended ON server_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX application_updated_at ON application (updated_at);
CREATE INDEX application_version_ended ON application_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX database_instance_updated_at ON database_instance (updated_at);
CREATE INDEX database_instance_version_ended ON database_instance_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX load_balancer_updated_at ON load_balancer (updated_at);
CREATE INDEX load_balancer_version_ended ON load_balancer_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX datacenter_updated_at ON datacenter (updated_at);
CREATE INDEX datacenter_version_ended ON datacenter_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX business_system_updated_at ON business_system (updated_at);
CREATE INDEX business_system_version_ended ON business_system_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX client_updated_at ON client (updated_at);
CREATE INDEX client_version_ended ON client_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX service_updated_at ON service (updated_at);
CREATE INDEX service_version_ended ON service_version (valid_to) WHERE valid_to IS NOT NULL;
CREATE INDEX provider_updated_at ON provider (updated_at);
CREATE INDEX provider_version_ended ON provider_version (valid_to) WHERE valid_to IS NOT NULL;
