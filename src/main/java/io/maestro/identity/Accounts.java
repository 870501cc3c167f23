package io.maestro.identity;

import io.maestro.core.FieldError;
import io.maestro.core.ProblemException;
import io.maestro.core.access.Caller;
import io.maestro.core.cluster.ClusterVersion;
import io.maestro.core.record.Sharing;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Users and teams. Global admins create users and see everyone; other users see themselves and
 * the members of their teams. Anyone signed in creates a team and becomes its admin; team admins
 * manage its members. Passwords are kept only as bcrypt hashes and never returned.
 */
@Service
public class Accounts {
    static final int MIN_PASSWORD = 10;
    /** bcrypt uses the first 72 bytes only; longer passwords are refused rather than silently cut. */
    static final int MAX_PASSWORD_BYTES = 72;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+");
    private static final List<String> ROLES = List.of("member", "admin");

    private final AccountStore rows;
    private final PasswordEncoder encoder;
    private final CachingPasswordAuthentication passwords;
    private final LoginThrottle throttle;
    private final Sharing sharing;
    private final CurrentCaller callers;
    private final ClusterVersion versions;

    Accounts(AccountStore rows, PasswordEncoder encoder, CachingPasswordAuthentication passwords, LoginThrottle throttle,
                    Sharing sharing, CurrentCaller callers, ClusterVersion versions) {
        this.callers = callers;
        this.versions = versions;
        this.rows = rows;
        this.encoder = encoder;
        this.passwords = passwords;
        this.throttle = throttle;
        this.sharing = sharing;
    }

    // ---- users

    @Transactional
    public Map<String, Object> createUser(Caller caller, Object body) {
        requireGlobalAdmin(caller, "create users");
        Map<?, ?> in = object(body, Set.of("username", "password", "email", "display_name", "global_admin"));
        List<FieldError> errors = new ArrayList<>();
        String username = username(in.get("username"), errors);
        String password = password("password", in.get("password"), errors);
        String email = email(in.get("email"), errors);
        String displayName = displayName(in.get("display_name"), errors);
        Boolean admin = bool("global_admin", in.get("global_admin"), errors);
        if (!errors.isEmpty()) throw ProblemException.badRequest("The user is invalid", errors);
        if (userId(username).isPresent()) {
            throw new ProblemException(409, "Conflict", "A user named '" + username + "' already exists",
                    List.of(new FieldError("username", "is taken")));
        }
        UUID id = UUID.randomUUID();
        rows.insertUser(id, username, encoder.encode(password), email, displayName, Boolean.TRUE.equals(admin), now());
        return user(id, caller);
    }

    public Map<String, Object> listUsers(Caller caller, int page, int size) {
        List<UUID> ids = rows.visibleUserIds(caller, size, (long) page * size);
        long total = rows.countVisibleUsers(caller);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", ids.stream().map(id -> user(id, caller)).toList());
        out.put("total", total);
        out.put("page", page);
        out.put("size", size);
        return out;
    }

    public Map<String, Object> getUser(Caller caller, UUID id) {
        requireVisibleUser(caller, id);
        return user(id, caller);
    }

    /**
     * Own email, display name and password (with current_password); global admins change anyone's,
     * grant or remove global_admin, and disable or enable a user (not themselves, nor the last
     * enabled global admin). A disabled user's sessions end at once; they sign in no more.
     */
    @Transactional
    public Map<String, Object> patchUser(Caller caller, UUID id, Object body) {
        requireVisibleUser(caller, id);
        boolean self = id.equals(caller.userId());
        if (!self && !caller.globalAdmin()) throw ProblemException.forbidden("You may change only your own account");
        Map<?, ?> in = object(body, Set.of("email", "display_name", "password", "current_password", "global_admin", "disabled"));
        List<FieldError> errors = new ArrayList<>();
        String email = in.containsKey("email") ? email(in.get("email"), errors) : null;
        String displayName = in.containsKey("display_name") ? displayName(in.get("display_name"), errors) : null;
        String password = in.containsKey("password") ? password("password", in.get("password"), errors) : null;
        Boolean admin = in.containsKey("global_admin") ? bool("global_admin", in.get("global_admin"), errors) : null;
        Boolean disabled = in.containsKey("disabled") ? bool("disabled", in.get("disabled"), errors) : null;
        if (admin != null && !caller.globalAdmin()) throw ProblemException.forbidden("Only global admins grant or remove global admin");
        if (disabled != null && !caller.globalAdmin()) throw ProblemException.forbidden("Only global admins disable or enable users");
        if (password != null && caller.via() != null) {
            throw ProblemException.forbidden("Passwords cannot be changed with an API token; sign in with your password");
        }
        if (password != null && self) {
            Object current = in.get("current_password");
            String hash = rows.passwordHash(id);
            if (!(current instanceof String c)) {
                errors.add(new FieldError("current_password", "is required to change your own password"));
            } else if (!matches(c, hash)) {
                throttle.failed(caller.username(), LoginThrottle.requestAddress());
                errors.add(new FieldError("current_password", "is wrong"));
            }
        }
        if (!errors.isEmpty()) throw ProblemException.badRequest("The change is invalid", errors);
        if (Boolean.TRUE.equals(disabled) && self) throw ProblemException.conflict("You cannot disable yourself");
        if (Boolean.FALSE.equals(admin) || Boolean.TRUE.equals(disabled)) requireAnotherGlobalAdmin(id);
        if (in.containsKey("email")) rows.setEmail(id, email);
        if (in.containsKey("display_name")) {
            rows.setDisplayName(id, displayName);
        }
        if (disabled != null) {
            rows.setDisabled(id, disabled);
            if (disabled) endSessions(id);
            identityChanged(); // remembered password checks and callers of this user end on every node
        }
        if (admin != null) {
            rows.setGlobalAdmin(id, admin);
            identityChanged();
        }
        if (password != null) {
            rows.setPasswordHash(id, encoder.encode(password));
            identityChanged(); // the old password must stop working at once on every node, also for cached checks
        }
        return user(id, caller);
    }

    @Transactional
    public void deleteUser(Caller caller, UUID id) {
        requireGlobalAdmin(caller, "delete users");
        if (userId(id).isEmpty()) throw ProblemException.notFound("User");
        if (id.equals(caller.userId())) throw ProblemException.conflict("You cannot delete yourself");
        requireAnotherGlobalAdmin(id);
        sharing.forgetPrincipal(id, "users", caller);
        endSessions(id); // they would be refused anyway, as an unknown user
        rows.deleteUser(id); // memberships and tokens cascade
        identityChanged();
    }

    /** Ends the user's browser sessions on every node (sessions live in the database). */
    private void endSessions(UUID id) {
        rows.endSessions(id);
    }

    /** The caller with their teams (id, name, role), and how they signed in. */
    public Map<String, Object> me(Caller caller) {
        Map<String, Object> me = user(caller.userId(), caller);
        me.put("default_team_id", caller.defaultTeamId() == null ? null : caller.defaultTeamId().toString());
        me.put("authenticated_by", caller.via() == null ? "password" : caller.via());
        me.put("read_only", caller.readOnly());
        return me;
    }

    private Map<String, Object> user(UUID id, Caller viewer) {
        Map<String, Object> m = rows.user(id).orElseThrow(() -> ProblemException.notFound("User"));
        List<Map<String, Object>> teams = rows.teamsOf(id);
        // others see only the teams they share with this user
        if (!viewer.globalAdmin() && !id.equals(viewer.userId())) {
            teams.removeIf(t -> !viewer.teamIds().contains(UUID.fromString((String) t.get("id"))));
        }
        m.put("teams", teams);
        return m;
    }

    /** Users outside the caller's teams answer 404, like records of other teams. */
    private void requireVisibleUser(Caller caller, UUID id) {
        if (!rows.userVisible(caller, id)) throw ProblemException.notFound("User");
    }

    /** Someone must still be able to sign in as global admin: another one who is not disabled. */
    private void requireAnotherGlobalAdmin(UUID id) {
        if (rows.isGlobalAdmin(id) && rows.otherEnabledGlobalAdmins(id) == 0) {
            throw ProblemException.conflict("This is the last enabled global admin; make someone else global admin first");
        }
    }

    // ---- teams

    @Transactional
    public Map<String, Object> createTeam(Caller caller, Object body) {
        Map<?, ?> in = object(body, Set.of("name", "email"));
        List<FieldError> errors = new ArrayList<>();
        String name = teamName(in.get("name"), errors);
        String email = email(in.get("email"), errors);
        if (!errors.isEmpty()) throw ProblemException.badRequest("The team is invalid", errors);
        requireFreeTeamName(name, null);
        UUID id = UUID.randomUUID();
        rows.insertTeam(id, name, email, now());
        rows.addMember(id, caller.userId(), "admin");
        identityChanged();
        return team(id, caller.userId(), true);
    }

    /** The caller's teams; global admins see every team. */
    public Map<String, Object> listTeams(Caller caller) {
        List<UUID> ids = rows.teamIds(caller.userId(), caller.globalAdmin());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", ids.stream().map(id -> team(id, caller.userId(), false)).toList());
        out.put("total", ids.size());
        return out;
    }

    public Map<String, Object> getTeam(Caller caller, UUID id) {
        requireVisibleTeam(caller, id);
        return team(id, caller.userId(), true);
    }

    @Transactional
    public Map<String, Object> patchTeam(Caller caller, UUID id, Object body) {
        requireVisibleTeam(caller, id);
        requireTeamAdmin(caller, id);
        Map<?, ?> in = object(body, Set.of("name", "email"));
        List<FieldError> errors = new ArrayList<>();
        String name = in.containsKey("name") ? teamName(in.get("name"), errors) : null;
        String email = in.containsKey("email") ? email(in.get("email"), errors) : null;
        if (!errors.isEmpty()) throw ProblemException.badRequest("The change is invalid", errors);
        if (name != null) {
            requireFreeTeamName(name, id);
            rows.renameTeam(id, name);
            identityChanged(); // a caller's teams are ordered by name after creation time
        }
        if (in.containsKey("email")) rows.setTeamEmail(id, email);
        return team(id, caller.userId(), true);
    }

    /** Adds a user to a team or changes their role; {@code user} is an id or a username. */
    @Transactional
    public Map<String, Object> setMember(Caller caller, UUID teamId, String user, Object body) {
        requireVisibleTeam(caller, teamId);
        requireTeamAdmin(caller, teamId);
        Map<?, ?> in = object(body, Set.of("role"));
        Object role = in.get("role");
        if (!(role instanceof String r) || !ROLES.contains(r)) {
            throw ProblemException.badField("role", role == null ? "is required (member or admin)" : "must be member or admin");
        }
        UUID userId = resolveUser(user).orElseThrow(() -> ProblemException.notFound("User"));
        Optional<String> current = role(teamId, userId);
        if (current.isPresent() && current.get().equals("admin") && r.equals("member")) requireAnotherTeamAdmin(teamId, userId);
        if (current.isPresent()) {
            rows.setRole(teamId, userId, r);
        } else {
            rows.addMember(teamId, userId, r);
        }
        identityChanged();
        return team(teamId, caller.userId(), true);
    }

    /** Team admins remove members; anyone may leave. The last admin stays. */
    @Transactional
    public void removeMember(Caller caller, UUID teamId, String user) {
        requireVisibleTeam(caller, teamId);
        UUID userId = resolveUser(user).orElseThrow(() -> ProblemException.notFound("Member"));
        if (!userId.equals(caller.userId())) requireTeamAdmin(caller, teamId);
        String role = role(teamId, userId).orElseThrow(() -> ProblemException.notFound("Member"));
        if (role.equals("admin")) requireAnotherTeamAdmin(teamId, userId);
        rows.removeMember(teamId, userId);
        identityChanged();
    }

    /**
     * What nodes remember of callers and password checks is stale: this node forgets it now and
     * again once this transaction commits; the cluster counter tells the other nodes.
     */
    private void identityChanged() {
        versions.bump(CurrentCaller.IDENTITY);
        callers.forgetAll();
        passwords.forgetAll();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    callers.forgetAll();
                    passwords.forgetAll();
                }
            });
        }
    }

    private Map<String, Object> team(UUID id, UUID viewer, boolean withMembers) {
        Map<String, Object> t = rows.team(id).orElseThrow(() -> ProblemException.notFound("Team"));
        t.put("role", role(id, viewer).orElse(null));
        List<Map<String, Object>> members = rows.members(id);
        t.put("member_count", members.size());
        if (withMembers) t.put("members", members);
        return t;
    }

    private Optional<String> role(UUID team, UUID user) {
        return rows.role(team, user);
    }

    /** Teams the caller is not in answer 404. */
    private void requireVisibleTeam(Caller caller, UUID id) {
        if (!rows.teamExists(id) || !caller.isMember(id)) throw ProblemException.notFound("Team");
    }

    private static void requireTeamAdmin(Caller caller, UUID team) {
        if (!caller.isTeamAdmin(team)) throw ProblemException.forbidden("Only admins of this team manage it");
    }

    private void requireAnotherTeamAdmin(UUID team, UUID user) {
        if (rows.otherTeamAdmins(team, user) == 0) throw ProblemException.conflict("This is the last admin of the team; make another member admin first");
    }

    private void requireFreeTeamName(String name, UUID self) {
        List<UUID> same = rows.teamsNamed(name);
        if (same.stream().anyMatch(id -> !id.equals(self))) {
            throw new ProblemException(409, "Conflict", "A team named '" + name + "' already exists", List.of(new FieldError("name", "is taken")));
        }
    }

    private Optional<UUID> resolveUser(String user) {
        try {
            return userId(UUID.fromString(user));
        } catch (IllegalArgumentException e) {
            return userId(user);
        }
    }

    private Optional<UUID> userId(UUID id) {
        return rows.userId(id);
    }

    private Optional<UUID> userId(String username) {
        return rows.userId(username);
    }

    // ---- input

    private static void requireGlobalAdmin(Caller caller, String what) {
        if (!caller.globalAdmin()) throw ProblemException.forbidden("Only global admins " + what);
    }

    private static Map<?, ?> object(Object body, Set<String> keys) {
        if (!(body instanceof Map<?, ?> in)) throw ProblemException.badField("body", "must be a JSON object");
        List<FieldError> unknown = in.keySet().stream().map(String::valueOf).filter(k -> !keys.contains(k))
                .map(k -> new FieldError(k, "unknown field")).toList();
        if (!unknown.isEmpty()) throw ProblemException.badRequest("Unknown fields", unknown);
        return in;
    }

    private static String username(Object v, List<FieldError> errors) {
        if (!(v instanceof String s) || !USERNAME.matcher(s).matches()) {
            errors.add(new FieldError("username", v == null ? "is required"
                    : "must be 1-100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit"));
            return null;
        }
        return s;
    }

    private static String password(String field, Object v, List<FieldError> errors) {
        if (!(v instanceof String s)) {
            errors.add(new FieldError(field, v == null ? "is required" : "must be a string"));
            return null;
        }
        if (s.codePointCount(0, s.length()) < MIN_PASSWORD) {
            errors.add(new FieldError(field, "must be at least " + MIN_PASSWORD + " characters"));
            return null;
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            errors.add(new FieldError(field, "must be at most " + MAX_PASSWORD_BYTES + " bytes (UTF-8)"));
            return null;
        }
        return s;
    }

    private static String email(Object v, List<FieldError> errors) {
        if (v == null || (v instanceof String s && s.isBlank())) return null;
        if (!(v instanceof String s) || s.strip().length() > 255 || !EMAIL.matcher(s.strip()).matches()) {
            errors.add(new FieldError("email", "must be an email address"));
            return null;
        }
        return s.strip();
    }

    /** A name shown beside the username; blank clears it. */
    private static String displayName(Object v, List<FieldError> errors) {
        if (v == null || (v instanceof String s && s.isBlank())) return null;
        if (!(v instanceof String s) || s.strip().length() > 100 || s.chars().anyMatch(c -> c < 0x20)) {
            errors.add(new FieldError("display_name", "must be at most 100 characters, without control characters"));
            return null;
        }
        return s.strip();
    }

    private static String teamName(Object v, List<FieldError> errors) {
        if (!(v instanceof String s) || s.isBlank()) {
            errors.add(new FieldError("name", v == null ? "is required" : "must be a non-empty string"));
            return null;
        }
        String name = s.strip();
        if (name.length() > 100 || name.chars().anyMatch(c -> c < 0x20)) {
            errors.add(new FieldError("name", "must be at most 100 characters, without control characters"));
            return null;
        }
        return name;
    }

    private static Boolean bool(String field, Object v, List<FieldError> errors) {
        if (v == null) return null;
        if (!(v instanceof Boolean b)) {
            errors.add(new FieldError(field, "must be true or false"));
            return null;
        }
        return b;
    }

    private boolean matches(String raw, String hash) {
        try {
            return encoder.matches(raw, hash);
        } catch (IllegalArgumentException tooLong) {
            return false;
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }
}
