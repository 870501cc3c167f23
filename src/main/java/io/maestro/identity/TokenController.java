package io.maestro.identity;

import io.maestro.core.Json;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.access.CallerProvider;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The caller's personal API tokens. A token cannot mint more tokens: that takes the password. */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "tokens", description = "Personal API tokens: shown once at creation, stored hashed, revocable")
public class TokenController {
    private final ApiTokens tokens;
    private final CallerProvider callers;

    public TokenController(ApiTokens tokens, CallerProvider callers) {
        this.tokens = tokens;
        this.callers = callers;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) byte[] body) {
        Caller caller = callers.current();
        if (caller.via() != null) throw ProblemException.forbidden("Tokens are created with your password, not with another token");
        Map<String, Object> token = tokens.create(caller.userId(), Json.parse(body));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(token.get("id")).toUri())
                .header("Cache-Control", "no-store")
                .body(token);
    }

    @GetMapping
    public Map<String, Object> list() {
        List<Map<String, Object>> items = tokens.list(callers.current().userId());
        return Map.of("items", items, "total", items.size());
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable("id") String id) {
        return tokens.find(callers.current().userId(), id(id)).orElseThrow(() -> ProblemException.notFound("Token"));
    }

    /** Revokes one of the caller's tokens (global admins: anyone's); its next use answers 401. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> revoke(@PathVariable("id") String id) {
        Caller caller = callers.current();
        if (!tokens.revoke(caller.userId(), id(id), caller.globalAdmin())) throw ProblemException.notFound("Token");
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }

    private static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Token");
        }
    }
}
