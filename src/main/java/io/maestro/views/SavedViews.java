package io.maestro.views;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Saved views of the lists. A view is its owner's, or shared with one of the owner's teams: its
 * members see it, its owner and the team's admins delete it. A view holds a filter, not data: the
 * list it opens still shows only what the one who opens it may read.
 */
@Service
public class SavedViews {
    private final SavedViewStore store;

    SavedViews(SavedViewStore store) {
        this.store = store;
    }

    /** The caller's views and those shared with their teams, of one collection, or of all when null. */
    @Transactional(readOnly = true)
    public List<SavedView> visible(String collection, Caller caller) {
        return store.visible(caller.userId(), caller.teamIds(), collection);
    }

    @Transactional
    public SavedView create(String collection, String name, String query, String columns, UUID teamId, Caller caller) {
        if (caller.readOnly()) throw ProblemException.forbidden("A read-only token cannot save views");
        List<FieldError> errors = new ArrayList<>();
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) errors.add(new FieldError("name", "is required"));
        else if (n.length() > 100) errors.add(new FieldError("name", "must be at most 100 characters"));
        if (query != null && query.length() > 4000) errors.add(new FieldError("query", "is too long (at most 4000 characters)"));
        if (columns != null && columns.length() > 2000) errors.add(new FieldError("columns", "are too many"));
        if (teamId != null && !caller.teamIds().contains(teamId)) errors.add(new FieldError("team_id", "is not one of your teams"));
        if (!errors.isEmpty()) throw ProblemException.badRequest("The view cannot be saved", errors);
        SavedView v = new SavedView(UUID.randomUUID(), collection, n, caller.userId(), caller.username(), teamId, null,
                query == null ? "" : query, columns == null || columns.isBlank() ? null : columns,
                OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
        store.insert(v);
        return store.find(v.id()).orElseThrow();
    }

    /** The view, when the caller may see it; 404 otherwise (whether it exists is not said). */
    @Transactional(readOnly = true)
    public SavedView get(UUID id, Caller caller) {
        SavedView v = store.find(id).orElseThrow(() -> ProblemException.notFound("Saved view"));
        if (!v.ownerId().equals(caller.userId()) && (v.teamId() == null || !caller.teamIds().contains(v.teamId()))) {
            throw ProblemException.notFound("Saved view");
        }
        return v;
    }

    @Transactional
    public void delete(UUID id, Caller caller) {
        SavedView v = get(id, caller);
        boolean mine = v.ownerId().equals(caller.userId());
        if (!mine && !(v.teamId() != null && caller.isTeamAdmin(v.teamId()))) {
            throw ProblemException.forbidden("Only its owner or an admin of its team deletes a shared view");
        }
        store.delete(id);
    }
}
