-- Failed logins per username (HTTP Basic and the login form), shared by every node: ten within
-- 15 minutes lock that username for 15 minutes. Rows older than the window are pruned on the way.
CREATE TABLE login_failure (
    username VARCHAR(100) NOT NULL,
    failed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX login_failure_user ON login_failure (username, failed_at);
CREATE INDEX login_failure_at ON login_failure (failed_at);
