-- An import of Maestro records (format maestro) started by a global admin writes as one: it may write
-- the catalogs, update records of every team and create records with the ids its file gives (a
-- restore keeps ids, so links and bookmarks survive). Decided once, by who uploaded the file.
ALTER TABLE source_import ADD COLUMN as_global_admin BOOLEAN DEFAULT FALSE NOT NULL;
