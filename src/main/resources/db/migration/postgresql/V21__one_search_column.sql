-- q searches one lower-cased column per kind, with one trigram index: PostgreSQL estimated the OR
-- of five ILIKEs (one per column, five trigram indexes) badly and scanned the table, 115-225 ms
-- at 100,000 servers whatever the term. A single LIKE on one column is estimated from that
-- column's statistics: a rare term reads the trigram index, a common one the name order.
-- The fields are joined by a newline, which q cannot contain (control characters are refused),
-- so a term never matches across two of them. It holds exactly what q matched before: name,
-- hostname, the IPs and the instance id (ServerKind.searchColumns).
ALTER TABLE server ADD COLUMN search_text TEXT GENERATED ALWAYS AS (lower(
    name || E'\n' || hostname || E'\n' || coalesce(ipv4_private, '') || E'\n' || coalesce(ipv4_public, '')
    || E'\n' || coalesce(datacenter_instance_id, ''))) STORED;
CREATE INDEX server_search_trgm ON server USING gin (search_text gin_trgm_ops);
DROP INDEX server_name_trgm;
DROP INDEX server_hostname_trgm;
DROP INDEX server_ipv4_private_trgm;
DROP INDEX server_ipv4_public_trgm;
DROP INDEX server_instance_id_trgm;
-- Overlapped by composite indexes that start with the same column: team_id by server_team_env_os
-- (and the team's hostname and IP lookups), datacenter_id by the unique server_instance.
DROP INDEX server_team_id;
DROP INDEX server_datacenter_id;
-- Kinds that search their name alone match LOWER(name) LIKE, the same shape.
DROP INDEX application_name_trgm;
CREATE INDEX application_name_lower_trgm ON application USING gin (lower(name) gin_trgm_ops);
DROP INDEX database_instance_name_trgm;
CREATE INDEX database_instance_name_lower_trgm ON database_instance USING gin (lower(name) gin_trgm_ops);
