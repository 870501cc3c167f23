-- An import of Maestro records (format maestro) started by a global admin writes as one: it may write
-- the catalogs, update records of every team and create records with the ids its file gives (a
-- restore keeps ids, so links and bookmarks survive). Decided once, by who uploaded the file.
ALTER TABLE source_import ADD COLUMN as_global_admin BOOLEAN DEFAULT FALSE NOT NULL;

-- What a file said, one row per observation, written while the file is read (a file never has to fit
-- in memory) and read back a batch at a time by collection. obs_key finds a link's target in the file.
-- Kept until the import has written (a dry run's until its plan is applied). Replaces the whole-file
-- column: a dry run made before this upgrade has to be run again.
ALTER TABLE source_import DROP COLUMN observations;
CREATE TABLE source_import_observation (
    import_id UUID NOT NULL,
    collection VARCHAR(32) NOT NULL,
    seq BIGINT NOT NULL,
    obs_key VARCHAR(1024) NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (import_id, collection, seq)
);
CREATE INDEX source_import_observation_key ON source_import_observation (import_id, collection, obs_key);

-- A dry run's plan, one row per entry, paged and filtered by action in SQL; version is the matched
-- record's version then (applying is refused when one moved since). Replaces the plan and touched columns.
ALTER TABLE source_import DROP COLUMN plan;
ALTER TABLE source_import DROP COLUMN touched;
CREATE TABLE source_import_plan (
    import_id UUID NOT NULL,
    seq BIGINT NOT NULL,
    action VARCHAR(16) NOT NULL,
    collection VARCHAR(32) NOT NULL,
    record_id UUID,
    version BIGINT,
    doc TEXT NOT NULL,
    PRIMARY KEY (import_id, seq)
);
CREATE INDEX source_import_plan_action ON source_import_plan (import_id, action, seq);
