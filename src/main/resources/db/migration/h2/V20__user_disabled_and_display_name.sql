-- Global admins disable a user (who then can sign in no more, by password, token or single
-- sign-on, while their records, shares and history stay) and give users a display name.
ALTER TABLE app_user ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE app_user ADD COLUMN display_name VARCHAR(100);
