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
 * members see it, its owner and the team's admins change and delete it (who sees it only its
 * owner changes). A view holds a filter, not data: the
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
        String n = checked(name, query, columns, errors);
        if (teamId != null && !caller.teamIds().contains(teamId)) errors.add(new FieldError("team_id", "is not one of your teams"));
        if (!errors.isEmpty()) throw ProblemException.badRequest("The view cannot be saved", errors);
        SavedView v = new SavedView(UUID.randomUUID(), collection, n, caller.userId(), caller.username(), teamId, null,
                query == null ? "" : query, blankToNull(columns), OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
        store.insert(v);
        return store.find(v.id()).orElseThrow();
    }

    /**
     * Renames a view, replaces its filters and sort ({@code query}) and columns (null or blank:
     * the kind's defaults) and sets who sees it. Its owner and the admins of its team change it;
     * only the owner changes who sees it (to themselves or one of their teams).
     */
    @Transactional
    public SavedView update(UUID id, String name, String query, String columns, UUID teamId, Caller caller) {
        return update(id, name, query, columns, teamId, caller, q -> List.of());
    }

    /** As above; {@code queryCheck} names what is wrong with the query (the list would refuse it), answered with the other errors. */
    @Transactional
    public SavedView update(UUID id, String name, String query, String columns, UUID teamId, Caller caller,
                            java.util.function.Function<String, List<FieldError>> queryCheck) {
        SavedView v = requireChange(id, caller);
        List<FieldError> errors = new ArrayList<>();
        String n = checked(name, query, columns, errors);
        errors.addAll(queryCheck.apply(query == null ? "" : query));
        boolean moves = !java.util.Objects.equals(teamId, v.teamId());
        if (moves && !v.ownerId().equals(caller.userId())) errors.add(new FieldError("team_id", "only the view's owner changes who sees it"));
        else if (moves && teamId != null && !caller.teamIds().contains(teamId)) errors.add(new FieldError("team_id", "is not one of your teams"));
        if (!errors.isEmpty()) throw ProblemException.badRequest("The view cannot be saved", errors);
        store.update(id, n, query == null ? "" : query, blankToNull(columns), teamId);
        return store.find(id).orElseThrow();
    }

    /** Whether the caller may change and delete the view: its owner, or an admin of the team it is shared with. */
    public static boolean mayChange(SavedView v, Caller caller) {
        return v.ownerId().equals(caller.userId()) || (v.teamId() != null && caller.isTeamAdmin(v.teamId()));
    }

    private SavedView requireChange(UUID id, Caller caller) {
        if (caller.readOnly()) throw ProblemException.forbidden("A read-only token cannot change views");
        SavedView v = get(id, caller);
        if (!mayChange(v, caller)) throw ProblemException.forbidden("Only its owner or an admin of its team changes a shared view");
        return v;
    }

    private static String checked(String name, String query, String columns, List<FieldError> errors) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) errors.add(new FieldError("name", "is required"));
        else if (n.length() > 100) errors.add(new FieldError("name", "must be at most 100 characters"));
        if (query != null && query.length() > 4000) errors.add(new FieldError("query", "is too long (at most 4000 characters)"));
        if (columns != null && columns.length() > 2000) errors.add(new FieldError("columns", "are too many"));
        return n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
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
        requireChange(id, caller);
        store.delete(id);
    }
}
