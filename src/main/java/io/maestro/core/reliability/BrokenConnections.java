package io.maestro.core.reliability;

import com.zaxxer.hikari.SQLExceptionOverride;

import java.sql.SQLException;

/**
 * Tells the pool which connections are dead beyond those it recognises (SQL state 08...): H2
 * reports a session the server closed as 90028 "IO exception", 90067 "connection is broken", 90121 and 90098 "database
 * is already closed". Kept in the pool, such a connection failed every request after the database
 * came back.
 */
public class BrokenConnections implements SQLExceptionOverride {
    @java.lang.Override
    public Override adjudicate(SQLException e) {
        int code = e.getErrorCode();
        if (e.getClass().getName().startsWith("org.h2.") && (code == 90028 || code == 90067 || code == 90121 || code == 90098)) return Override.MUST_EVICT;
        return Override.CONTINUE_EVICT;
    }
}
