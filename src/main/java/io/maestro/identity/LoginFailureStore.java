package io.maestro.identity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import java.time.OffsetDateTime;
import java.util.List;

/** SQL of failed sign-ins ({@code login_failure}) and the per-address guard rows ({@code login_guard}); {@link LoginThrottle} decides. */
@Repository
class LoginFailureStore {
    private final JdbcClient jdbc;

    LoginFailureStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a failure; its id (to give it back when the password turns out right). */
    Long insert(String username, String address, OffsetDateTime at) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO login_failure (username, address, failed_at) VALUES (:u, :a, :at)")
                .param("u", username).param("a", address).param("at", at).update(key, "id");
        return key.getKeyAs(Long.class);
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM login_failure WHERE id = :id").param("id", id).update();
    }

    /** Locks the address's guard row (creating it first): attempts from one address are counted one at a time. */
    void guard(String address, OffsetDateTime now) {
        int n = jdbc.sql("UPDATE login_guard SET touched_at = :now WHERE address = :a").param("now", now).param("a", address).update();
        if (n > 0) return;
        jdbc.sql("INSERT INTO login_guard (address, touched_at) VALUES (:a, :now) ON CONFLICT DO NOTHING").param("a", address).param("now", now).update();
        jdbc.sql("UPDATE login_guard SET touched_at = :now WHERE address = :a").param("now", now).param("a", address).update();
    }

    /** The times of the latest {@code limit} failures after {@code since} from {@code address} (of {@code username} only, when set), newest first. */
    List<OffsetDateTime> recent(String address, String username, OffsetDateTime since, int limit) {
        String where = username == null ? "address = :a" : "address = :a AND username = :u";
        return jdbc.sql("SELECT failed_at FROM login_failure WHERE " + where + " AND failed_at > :since ORDER BY failed_at DESC LIMIT " + limit)
                .param("a", address).param("u", username).param("since", since)
                .query((rs, i) -> rs.getObject(1, OffsetDateTime.class)).list();
    }

    /** Deletes failures and guard rows older than {@code old}. */
    void prune(OffsetDateTime old) {
        jdbc.sql("DELETE FROM login_failure WHERE failed_at < :old").param("old", old).update();
        jdbc.sql("DELETE FROM login_guard WHERE touched_at < :old").param("old", old).update();
    }
}
