package io.maestro.core.record;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.options.OptionsService;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code ?field=value&tag=&sort=&page=&size=&cursor=} against a kind's schema: the query, or 400 naming every bad parameter. */
class ListQueryParserTest {
    private static final Kind KIND = new SampleKind();
    private static final OptionsService OPTIONS = new OptionsService(null, null) {
        @Override
        public Optional<String> canonical(String list, String input) {
            return "production".equalsIgnoreCase(input.strip()) ? Optional.of("Production") : Optional.empty();
        }

        @Override
        public String allowedValues(String list) {
            return "Production";
        }
    };
    /** Only its column map is used (no database). */
    private final ListQueryParser parser = new ListQueryParser(OPTIONS, new RecordStore(null, null, null));

    /** Parameters from "a=1&b=2&a=3" (repeats kept, no URL decoding). */
    private ListQuery parse(String query) {
        Map<String, String[]> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            String[] old = params.getOrDefault(kv[0], new String[0]);
            String[] values = Arrays.copyOf(old, old.length + 1);
            values[old.length] = kv.length > 1 ? kv[1] : "";
            params.put(kv[0], values);
        }
        return parser.parse(KIND, params);
    }

    private List<String> errors(String query) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> parse(query));
        assertThat(e).as("400 for " + query).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void noParametersListTheFirstPageByName() {
        ListQuery q = parse("");
        assertThat(q.conditions()).isEmpty();
        assertThat(q.q()).isNull();
        assertThat(q.sort()).containsExactly(new ListQuery.Sort("name", false, String.class));
        assertThat(q.page()).isZero();
        assertThat(q.size()).isEqualTo(ListQuery.DEFAULT_SIZE);
        assertThat(q.after()).isNull();
    }

    @Test
    void filtersAreTypedByTheirField() {
        UUID dc = UUID.randomUUID();
        ListQuery q = parse("cpu=4&cpu=8&active=TRUE&environment=PRODUCTION&hostname=Web01&datacenter.id=" + dc + "&q= web ");
        assertThat(q.conditions()).containsExactly(
                new ListQuery.Condition(ListQuery.ConditionKind.COLUMN, "cpu", List.of(4L, 8L), false),
                new ListQuery.Condition(ListQuery.ConditionKind.COLUMN, "active", List.of(true), false),
                new ListQuery.Condition(ListQuery.ConditionKind.COLUMN, "environment", List.of("Production"), false),
                new ListQuery.Condition(ListQuery.ConditionKind.COLUMN, "hostname", List.of("web01"), true),
                new ListQuery.Condition(ListQuery.ConditionKind.COLUMN, "datacenter_id", List.of(dc), false));
        assertThat(q.q()).isEqualTo("web");
    }

    @Test
    void relationsTagsAndTeamsAreTheirOwnConditions() {
        UUID server = UUID.randomUUID();
        UUID team = UUID.randomUUID();
        ListQuery q = parse("server_ids=" + server + "&team_id=" + team + "&tag=rack:r1&tag=backup");
        assertThat(q.conditions()).containsExactly(
                new ListQuery.Condition(ListQuery.ConditionKind.RELATION, "server_ids", List.of(server), false),
                new ListQuery.Condition(ListQuery.ConditionKind.COLUMN, "team_id", List.of(team), false),
                new ListQuery.Condition(ListQuery.ConditionKind.TAG, "rack", List.of("r1"), false),
                new ListQuery.Condition(ListQuery.ConditionKind.TAG, "backup", Arrays.asList((Object) null), false));
    }

    @Test
    void aBadValueOrAnUnknownFilterNamesItsParameter() {
        assertThat(errors("cpu=four")).containsExactly("cpu");
        assertThat(errors("memory=NaN")).containsExactly("memory");
        assertThat(errors("active=yes")).containsExactly("active");
        assertThat(errors("environment=Prod")).containsExactly("environment");
        assertThat(errors("datacenter.id=1-1-1-1-1")).containsExactly("datacenter.id");
        assertThat(errors("server_ids=nope")).containsExactly("server_ids");
        assertThat(errors("colour=red")).containsExactly("colour");
        assertThat(errors("auth=x")).as("a JSON column is no filter").containsExactly("auth");
        assertThat(errors("tag=:r1")).containsExactly("tag");
        assertThat(errors("last_seen_before=yesterday")).containsExactly("last_seen_before");
        // all at once, not only the first
        assertThat(errors("cpu=four&colour=red&size=0")).containsExactlyInAnyOrder("cpu", "colour", "size");
    }

    @Test
    void controlCharactersAreRefusedBeforeAnythingReachesSql() {
        assertThat(errors("hostname=web\u000001")).containsExactly("hostname");
        assertThat(errors("host\u0001name=web01")).containsExactly("query");
    }

    @Test
    void pagesAndSizesHaveBounds() {
        assertThat(parse("page=3&size=1000").size()).isEqualTo(1000);
        assertThat(parse("page=3").page()).isEqualTo(3);
        assertThat(errors("size=1001")).containsExactly("size");
        assertThat(errors("page=-1")).containsExactly("page");
        assertThat(errors("page=two")).containsExactly("page");
        assertThat(errors("q=" + "x".repeat(201))).containsExactly("q");
    }

    @Test
    void sortsNameFieldsAndDirections() {
        assertThat(parse("sort=-cpu,+hostname,updated_at,memory,active,datacenter.id").sort()).containsExactly(
                new ListQuery.Sort("cpu", true, Long.class),
                new ListQuery.Sort("hostname", false, String.class),
                new ListQuery.Sort("updated_at", false, OffsetDateTime.class),
                new ListQuery.Sort("memory", false, Double.class),
                new ListQuery.Sort("active", false, Boolean.class),
                new ListQuery.Sort("datacenter_id", false, UUID.class));
        assertThat(errors("sort=colour")).containsExactly("sort");
        assertThat(errors("sort=auth")).containsExactly("sort");
    }

    @Test
    void aCursorMustFitTheSortAndExcludesAPage() {
        UUID id = UUID.randomUUID();
        String byCpu = Cursor.encode(Arrays.asList(8L, id));
        assertThat(parse("sort=-cpu&cursor=" + byCpu).after()).containsExactly(8L, id);
        assertThat(errors("cursor=" + byCpu)).as("a cursor of another sort").containsExactly("cursor");
        assertThat(errors("sort=-cpu&cursor=garbage")).containsExactly("cursor");
        assertThat(errors("sort=-cpu&page=2&cursor=" + byCpu)).containsExactly("page");
    }
}
