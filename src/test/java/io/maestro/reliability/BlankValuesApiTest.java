package io.maestro.reliability;

import io.maestro.core.record.Kind;
import io.maestro.core.record.Kinds;
import io.maestro.core.schema.Field;
import io.maestro.core.schema.Field.Type;
import io.maestro.support.ApiTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "" or blanks where a number, boolean, list, object, address, option, id or name belongs are a
 * 400 naming the field, for every field of every kind (taken from the schema, so new fields are
 * covered too), at the top, inside objects and inside list items; nothing is stored. Free text
 * may be sent empty: it is stored as absent (null).
 */
class BlankValuesApiTest extends ApiTest {
    /** The smallest valid body of each kind. */
    private static final Map<String, Map<String, Object>> MINIMAL = Map.of(
            "servers", Map.of("hostname", "blank-test"),
            "databases", Map.of("name", "blank-test", "engine", "PostgreSQL"));

    @Autowired
    private Kinds kinds;

    @Test
    void blankStringsWhereOtherTypesBelongAre400NamingTheFieldForEveryKind() {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (Kind kind : kinds.all()) {
            for (Placement p : placements(kind)) {
                for (String blank : List.of("", "  ")) {
                    cases++;
                    Response r = admin().post("/" + kind.collection(), p.body(base(kind), blank));
                    boolean named = r.status() == 400 && r.body().get("errors") instanceof List<?> errors
                            && errors.stream().anyMatch(e -> e instanceof Map<?, ?> m && p.path().equals(m.get("field")));
                    if (!named || !String.valueOf(r.contentType()).startsWith("application/problem+json")) {
                        wrong.add(kind.collection() + " " + p.path() + "='" + blank + "' -> " + r);
                    }
                }
            }
            assertThat(admin().get("/" + kind.collection()).body()).as("nothing stored in " + kind.collection()).containsEntry("total", 0);
        }
        assertThat(wrong).isEmpty();
        assertThat(cases).as("cases tried").isGreaterThan(100);
    }

    @Test
    void emptyFreeTextIsAcceptedAndStoredAsAbsent() {
        Response r = admin().post("/servers", Map.of("hostname", "free-text", "description", "", "os", Map.of("dist", "  ")));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        Map<String, Object> stored = admin().get("/servers/" + r.id()).body();
        assertThat(stored.get("description")).isNull();
    }

    private Map<String, Object> base(Kind kind) {
        return new LinkedHashMap<>(MINIMAL.getOrDefault(kind.collection(), Map.of("name", "blank-test")));
    }

    /** A field and where it sits in a body: top level, inside an object, inside the first item of a list of objects. */
    private record Placement(String path, String top, String child, boolean inList) {
        Map<String, Object> body(Map<String, Object> base, String blank) {
            if (child == null) {
                base.put(top, blank);
            } else if (inList) {
                base.put(top, List.of(Map.of(child, blank)));
            } else {
                base.put(top, Map.of(child, blank));
            }
            return base;
        }
    }

    private static List<Placement> placements(Kind kind) {
        List<Placement> out = new ArrayList<>();
        for (Field f : kind.fields()) {
            if (f.isProvenance()) continue; // never taken from people's writes (sources.md)
            if (blankRejected(f)) out.add(new Placement(f.name, f.name, null, false));
            if (f.type == Type.OBJECT) {
                for (Field c : f.children().values()) {
                    if (blankRejected(c)) out.add(new Placement(f.name + "." + c.name, f.name, c.name, false));
                }
            }
            if (f.type == Type.LIST && f.item() != null && f.item().type == Type.OBJECT) {
                for (Field c : f.item().children().values()) {
                    if (blankRejected(c)) out.add(new Placement(f.name + "[0]." + c.name, f.name, c.name, true));
                }
            }
        }
        return out;
    }

    /** Everything but free text (STRING, TEXT), secrets (an empty one keeps the stored one) and any-JSON values. */
    private static boolean blankRejected(Field f) {
        return switch (f.type) {
            case STRING, TEXT, SECRET, ANY -> false;
            default -> true;
        };
    }
}
