package io.maestro.core.options;

import io.maestro.core.Json;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL of the option lists ({@code option_item}, one row per option in its list's order); {@link OptionsService} caches and decides. */
@Repository
public class OptionStore {
    private final JdbcClient jdbc;

    OptionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Names of the lists that have options. */
    List<String> listNames() {
        return jdbc.sql("SELECT DISTINCT list_name FROM option_item").query(String.class).list();
    }

    /** Every list with its options in order. */
    @SuppressWarnings("unchecked")
    Map<String, List<Option>> all() {
        Map<String, List<Option>> m = new LinkedHashMap<>();
        jdbc.sql("SELECT list_name, opt_value, label, aliases, attrs FROM option_item ORDER BY list_name, position")
                .query((rs, i) -> {
                    Option o = new Option(rs.getString("opt_value"), rs.getString("label"),
                            (List<String>) Json.parse(rs.getString("aliases")),
                            (Map<String, String>) Json.parse(rs.getString("attrs")));
                    m.computeIfAbsent(rs.getString("list_name"), k -> new ArrayList<>()).add(o);
                    return o;
                }).list();
        return m;
    }

    void deleteList(String list) {
        jdbc.sql("DELETE FROM option_item WHERE list_name = :l").param("l", list).update();
    }

    /** Adds {@code options} to {@code list} in their order; {@code ifAbsent}: rows another node added meanwhile are kept, not an error. */
    void insertAll(String list, List<Option> options, boolean ifAbsent) {
        int position = 0;
        for (Option o : options) {
            jdbc.sql("INSERT INTO option_item (list_name, opt_value, label, aliases, attrs, position) "
                            + "VALUES (:list, :value, :label, :aliases, :attrs, :position)" + (ifAbsent ? " ON CONFLICT DO NOTHING" : ""))
                    .param("list", list).param("value", o.value()).param("label", o.label())
                    .param("aliases", Json.write(o.aliases())).param("attrs", Json.write(o.attrs()))
                    .param("position", position++).update();
        }
    }
}
