package io.maestro.identity;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
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

import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping(path = "/api/v1/teams", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "teams", description = "Teams own records; their admins manage members (role member or admin)")
public class TeamController {
    private final Accounts accounts;
    private final CallerProvider callers;

    public TeamController(Accounts accounts, CallerProvider callers) {
        this.accounts = accounts;
        this.callers = callers;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body) {
        Map<String, Object> team = accounts.createTeam(callers.current(), Json.parse(body));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(team.get("id")).toUri())
                .body(team);
    }

    @GetMapping
    public Map<String, Object> list() {
        return accounts.listTeams(callers.current());
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable("id") String id) {
        return accounts.getTeam(callers.current(), id(id));
    }

    @PatchMapping("/{id}")
    public Map<String, Object> patch(@PathVariable("id") String id, @RequestBody(required = false) byte[] body) {
        return accounts.patchTeam(callers.current(), id(id), Json.parse(body));
    }

    /** Adds a member or changes their role: {@code {"role": "member" | "admin"}}; the user is an id or a username. */
    @PutMapping("/{id}/members/{user}")
    public Map<String, Object> setMember(@PathVariable("id") String id, @PathVariable("user") String user,
                                         @RequestBody(required = false) byte[] body) {
        return accounts.setMember(callers.current(), id(id), user, Json.parse(body));
    }

    @DeleteMapping("/{id}/members/{user}")
    public ResponseEntity<Void> removeMember(@PathVariable("id") String id, @PathVariable("user") String user) {
        accounts.removeMember(callers.current(), id(id), user);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    private static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Team");
        }
    }
}
