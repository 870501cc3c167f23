package io.maestro.core.api;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.PathContainer;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * A request for {@code /api/v1/servers/{id}} has no exact-path mapping, so Spring tries every
 * mapping of the application (about 150: every kind's API and the pages), checking for each the
 * method, media types and path pattern, all read through Spring Security's request wrappers, and
 * hashing each mapping's conditions on the way. That was a third of the CPU of a plain read
 * (bench, GET by id), and a sixth still when a path check came first.
 * <p>
 * Here the mappings' paths are worked out once, at start-up, into an array. A request's path is
 * compared with each: a string comparison with the patterns' fixed beginnings
 * ({@code /api/v1/servers/} of {@code /api/v1/servers/{id}}), the number of segments, then the
 * patterns themselves; only the few mappings left go through Spring's full matching (method,
 * media types ...). When exactly one mapping matches, it is Spring's answer too, whether Spring
 * would have found it by its exact path or by trying every mapping, and it is returned as Spring
 * returns a single match. Anything else (no match: 404, 405 or 406; several: Spring ranks them)
 * is left to Spring, as is every request after a mapping is registered or removed at run time.
 */
@Configuration(proxyBeanMethods = false)
public class PathFirstHandlerMapping {

    @Bean
    WebMvcRegistrations pathFirstMappings() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new Mapping();
            }
        };
    }

    static class Mapping extends RequestMappingHandlerMapping {
        /** Every mapping with its paths and handler; null once mappings changed after start-up (Spring's lookup only). */
        private volatile Candidate[] candidates;

        private record Candidate(RequestMappingInfo info, Paths paths, HandlerMethod handler) {
        }

        @Override
        protected void handlerMethodsInitialized(Map<RequestMappingInfo, HandlerMethod> handlerMethods) {
            super.handlerMethodsInitialized(handlerMethods);
            candidates = handlerMethods.entrySet().stream()
                    .map(e -> new Candidate(e.getKey(), Paths.of(e.getKey()), e.getValue())).toArray(Candidate[]::new);
        }

        @Override
        public void registerMapping(RequestMappingInfo mapping, Object handler, Method method) {
            candidates = null;
            super.registerMapping(mapping, handler, method);
        }

        @Override
        public void unregisterMapping(RequestMappingInfo mapping) {
            candidates = null;
            super.unregisterMapping(mapping);
        }

        @Override
        protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
            Candidate[] all = candidates;
            if (all == null || !ServletRequestPathUtils.hasParsedRequestPath(request)) return super.lookupHandlerMethod(lookupPath, request);
            PathContainer path = ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication();
            int separators = countSeparators(path.value());
            Candidate found = null;
            RequestMappingInfo match = null;
            for (Candidate c : all) {
                if (!c.paths.match(path, separators)) continue;
                RequestMappingInfo m = getMatchingMapping(c.info, request);
                if (m == null) continue;
                if (found != null) return super.lookupHandlerMethod(lookupPath, request); // several: Spring ranks them
                found = c;
                match = m;
            }
            if (found == null) return super.lookupHandlerMethod(lookupPath, request); // Spring says why: 404, 405, 406 ...
            // what Spring does with a single match
            request.setAttribute(BEST_MATCHING_HANDLER_ATTRIBUTE, found.handler);
            handleMatch(match, lookupPath, request);
            return found.handler;
        }
    }

    static int countSeparators(String path) {
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') n++;
        }
        return n;
    }

    /**
     * A mapping's patterns, what every path they match starts with (each pattern up to its first
     * variable or wildcard), and how many separators such a path has (-1: any number, for
     * patterns with a wildcard or a separator in a variable's regular expression).
     */
    record Paths(String[] fixedStarts, int[] separators, PathPattern[] patterns) {
        static Paths of(RequestMappingInfo info) {
            if (info.getPatternValues().isEmpty()) return new Paths(new String[] {""}, new int[] {-1}, new PathPattern[0]);
            String[] values = info.getPatternValues().toArray(String[]::new);
            String[] starts = new String[values.length];
            int[] separators = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                String p = values[i];
                int cut = p.length();
                for (char c : new char[] {'{', '*', '?'}) {
                    int at = p.indexOf(c);
                    if (at >= 0) cut = Math.min(cut, at);
                }
                starts[i] = p.substring(0, cut);
                separators[i] = p.contains("*") || separatorInVariable(p) ? -1 : countSeparators(p);
            }
            PathPatternsRequestCondition condition = info.getPathPatternsCondition();
            return new Paths(starts, separators, condition == null ? new PathPattern[0] : condition.getPatterns().toArray(PathPattern[]::new));
        }

        private static boolean separatorInVariable(String pattern) {
            int depth = 0;
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '{') depth++;
                else if (c == '}') depth--;
                else if (c == '/' && depth > 0) return true;
            }
            return false;
        }

        /** A string comparison and a count first; then the patterns themselves. */
        boolean match(PathContainer path, int pathSeparators) {
            String value = path.value();
            boolean possible = false;
            for (int i = 0; i < fixedStarts.length && !possible; i++) {
                possible = value.startsWith(fixedStarts[i]) && (separators[i] < 0 || separators[i] == pathSeparators);
            }
            if (!possible) return false;
            if (patterns.length == 0) return true;
            for (PathPattern pattern : patterns) {
                if (pattern.matches(path)) return true;
            }
            return false;
        }
    }
}
