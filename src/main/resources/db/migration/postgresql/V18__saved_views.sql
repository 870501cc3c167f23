-- Saved views of the lists: a named filter, sort and set of columns of one collection, kept
-- for its owner, or shared with one of the owner's teams (every member then sees it).
-- query: the list URL's query string (filters and sort); columns: column paths, comma-separated
-- (NULL: the kind's default columns).
CREATE TABLE saved_view (
    id UUID PRIMARY KEY,
    collection VARCHAR(32) NOT NULL,
    name VARCHAR(100) NOT NULL,
    owner_id UUID NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    team_id UUID REFERENCES team (id) ON DELETE CASCADE,
    query VARCHAR(4000) NOT NULL,
    columns VARCHAR(2000),
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX saved_view_owner ON saved_view (owner_id, collection);
CREATE INDEX saved_view_team ON saved_view (team_id, collection);
