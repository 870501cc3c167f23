-- Bulk upserts and discovery look servers up by instance id (then match the datacenter).
CREATE INDEX server_instance_id ON server (datacenter_instance_id);
