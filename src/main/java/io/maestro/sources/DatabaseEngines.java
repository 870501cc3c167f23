package io.maestro.sources;

/** Cloud engine names (RDS's, Terraform's {@code aws_db_instance.engine}) as the db_engine option list says them. */
public final class DatabaseEngines {
    private DatabaseEngines() {
    }

    /** mysql → MySQL, aurora-mysql → Aurora, postgres → PostgreSQL, oracle-ee → Oracle ...; unknown → Other. */
    public static String of(String engine) {
        if (engine == null) return "Other";
        String e = engine.toLowerCase();
        if (e.equals("aurora") || e.equals("aurora-mysql")) return "Aurora";
        if (e.equals("mysql")) return "MySQL";
        if (e.equals("mariadb")) return "MariaDB";
        if (e.equals("postgres") || e.equals("aurora-postgresql")) return "PostgreSQL";
        if (e.startsWith("oracle")) return "Oracle";
        if (e.startsWith("sqlserver")) return "SQL Server";
        if (e.startsWith("db2")) return "DB2";
        return "Other";
    }
}
