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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "users", description = "Users (created by global admins) and the signed-in caller")
public class UserController {
    private final Accounts accounts;
    private final CallerProvider callers;

    public UserController(Accounts accounts, CallerProvider callers) {
        this.accounts = accounts;
        this.callers = callers;
    }

    @GetMapping("/me")
    public Map<String, Object> me() {
        return accounts.me(callers.current());
    }

    @PostMapping("/users")
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body) {
        Map<String, Object> user = accounts.createUser(callers.current(), Json.parse(body));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(user.get("id")).toUri())
                .body(user);
    }

    @GetMapping("/users")
    public Map<String, Object> list(@RequestParam(value = "page", defaultValue = "0") int page,
                                    @RequestParam(value = "size", defaultValue = "50") int size) {
        if (page < 0) throw ProblemException.badField("page", "must be 0 or more");
        if (size < 1 || size > 1000) throw ProblemException.badField("size", "must be between 1 and 1000");
        return accounts.listUsers(callers.current(), page, size);
    }

    @GetMapping("/users/{id}")
    public Map<String, Object> get(@PathVariable("id") String id) {
        return accounts.getUser(callers.current(), id(id));
    }

    @PatchMapping("/users/{id}")
    public Map<String, Object> patch(@PathVariable("id") String id, @RequestBody(required = false) byte[] body) {
        return accounts.patchUser(callers.current(), id(id), Json.parse(body));
    }

    @DeleteMapping("/users/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") String id) {
        accounts.deleteUser(callers.current(), id(id));
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("User");
        }
    }
}
