-- q searches one lower-cased column (PostgreSQL's V21 has the reasons and a trigram index on it;
-- H2 has no trigram index and matches the same column). Name, hostname, the IPs and the instance
-- id, joined by a newline, which q cannot contain, so a term never matches across two fields.
ALTER TABLE server ADD COLUMN search_text VARCHAR(1000) GENERATED ALWAYS AS (LOWER(
    name || CHAR(10) || hostname || CHAR(10) || COALESCE(ipv4_private, '') || CHAR(10) || COALESCE(ipv4_public, '')
    || CHAR(10) || COALESCE(datacenter_instance_id, '')));
-- Overlapped by composite indexes that start with the same column: team_id by
-- server_team_ipv4_private, datacenter_id by the unique server_instance.
DROP INDEX server_team_id;
DROP INDEX server_datacenter_id;
