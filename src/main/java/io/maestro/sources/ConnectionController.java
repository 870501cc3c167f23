package io.maestro.sources;

import io.maestro.core.Ids;
import io.maestro.core.Json;
import io.maestro.core.access.CallerProvider;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /api/v1/connections}: discovery connections, their test, their runs (sources.md, "Connections"). */
@RestController
@RequestMapping(path = "/api/v1/connections", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sources", description = "Discovery connections, runs, provenance and drift")
public class ConnectionController {
    private final Connections connections;
    private final Runs runs;
    private final CallerProvider callers;

    public ConnectionController(Connections connections, Runs runs, CallerProvider callers) {
        this.connections = connections;
        this.runs = runs;
        this.callers = callers;
    }

    @GetMapping
    public Map<String, Object> list() {
        List<Map<String, Object>> items = connections.list(callers.current());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", items.size());
        return body;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body) {
        Map<String, Object> c = connections.create(Json.parse(body), callers.current());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(c.get("id")).toUri()).body(c);
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable("id") String id) {
        return connections.doc(connections.readable(id(id), callers.current()));
    }

    @PutMapping("/{id}")
    public Map<String, Object> replace(@PathVariable("id") String id, @RequestBody(required = false) byte[] body) {
        return connections.update(id(id), Json.parse(body), false, callers.current());
    }

    @PatchMapping("/{id}")
    public Map<String, Object> patch(@PathVariable("id") String id, @RequestBody(required = false) byte[] body) {
        return connections.update(id(id), Json.parse(body), true, callers.current());
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id) {
        connections.delete(id(id), callers.current());
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    @GetMapping("/{id}/history")
    public Map<String, Object> history(@PathVariable("id") String id) {
        return Map.of("items", connections.history(id(id), callers.current()));
    }

    /** Reaches the endpoint and lists regions: {@code {ok, detail}}; refused credentials are ok false, said plainly. */
    @PostMapping("/{id}/test")
    public Map<String, Object> test(@PathVariable("id") String id) {
        return connections.test(id(id), callers.current());
    }

    @PostMapping("/{id}/runs")
    public ResponseEntity<Map<String, Object>> run(@PathVariable("id") String id) {
        UUID connection = id(id);
        Map<String, Object> run = runs.start(connection, "manual", callers.current());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(ServletUriComponentsBuilder.fromCurrentRequest().path("/{run}").buildAndExpand(run.get("id")).toUri()).body(run);
    }

    @GetMapping("/{id}/runs")
    public Map<String, Object> runs(@PathVariable("id") String id) {
        return Map.of("items", runs.list(id(id), callers.current()));
    }

    @GetMapping("/{id}/runs/{run}")
    public Map<String, Object> run(@PathVariable("id") String id, @PathVariable("run") String run) {
        return runs.get(id(id), Ids.parse(run, "Run"), callers.current());
    }

    @PostMapping("/{id}/runs/{run}/cancel")
    public Map<String, Object> cancel(@PathVariable("id") String id, @PathVariable("run") String run) {
        return runs.cancel(id(id), Ids.parse(run, "Run"), callers.current());
    }

    private static UUID id(String id) {
        return Ids.parse(id, "Connection");
    }
}
