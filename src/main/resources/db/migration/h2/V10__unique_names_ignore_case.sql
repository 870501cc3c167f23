-- Catalog names are unique ignoring case on both databases (PostgreSQL has had
-- UNIQUE (lower(name)) since V1). H2 has no expression indexes, so a generated column holds
-- lower(name) and carries the unique index; the application never reads or writes it.
--
-- Installations that ran before this rule was enforced everywhere may hold names repeated in
-- another case ("Nginx" and "nginx", from a bulk import): the later ones get the start of their
-- id appended, so the index can be created and nothing is lost (rename or merge them by hand).
UPDATE service s SET name = LEFT(s.name, 240) || ' (' || LEFT(CAST(s.id AS VARCHAR), 8) || ')'
WHERE EXISTS (SELECT 1 FROM service o WHERE LOWER(o.name) = LOWER(s.name)
              AND (o.created_at < s.created_at OR (o.created_at = s.created_at AND o.id < s.id)));
UPDATE provider p SET name = LEFT(p.name, 240) || ' (' || LEFT(CAST(p.id AS VARCHAR), 8) || ')'
WHERE EXISTS (SELECT 1 FROM provider o WHERE LOWER(o.name) = LOWER(p.name)
              AND (o.created_at < p.created_at OR (o.created_at = p.created_at AND o.id < p.id)));

ALTER TABLE service ADD COLUMN name_lower VARCHAR(255) GENERATED ALWAYS AS (LOWER(name));
CREATE UNIQUE INDEX service_name_lower ON service (name_lower);
ALTER TABLE provider ADD COLUMN name_lower VARCHAR(255) GENERATED ALWAYS AS (LOWER(name));
CREATE UNIQUE INDEX provider_name_lower ON provider (name_lower);
