-- A create's changes are its whole first version: they are no longer stored (NULL) but derived,
-- when read, from the version row valid from the entry's time. Bulk imports write half the bytes.
ALTER TABLE record_change ALTER COLUMN changes DROP NOT NULL;
