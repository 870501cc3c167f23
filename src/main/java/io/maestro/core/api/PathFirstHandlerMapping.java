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

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request for {@code /api/v1/servers/{id}} has no exact-path mapping, so Spring tries every
 * mapping of the application (about 150: every kind's API and the pages), checking for each the
 * method, media types and path pattern, all read through Spring Security's request wrappers. That
 * was a third of the CPU of a plain read (bench, GET by id). Here a mapping whose patterns' fixed
 * beginnings ({@code /api/v1/servers/} of {@code /api/v1/servers/{id}}) the path does not start
 * with is skipped with a string comparison, then one whose patterns do not match the path; only
 * the few left go through Spring's full matching.
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
        private final ThreadLocal<PathContainer> lookupPath = new ThreadLocal<>();
        private final Map<RequestMappingInfo, List<String>> fixedStarts = new ConcurrentHashMap<>();

        @Override
        protected HandlerMethod lookupHandlerMethod(String path, HttpServletRequest request) throws Exception {
            lookupPath.set(ServletRequestPathUtils.hasParsedRequestPath(request)
                    ? ServletRequestPathUtils.getParsedRequestPath(request).pathWithinApplication() : null);
            try {
                return super.lookupHandlerMethod(path, request);
            } finally {
                lookupPath.remove();
            }
        }

        @Override
        protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
            PathContainer path = lookupPath.get();
            if (path != null && !matches(info, path)) return null;
            return super.getMatchingMapping(info, request);
        }

        /** A string comparison first; then the patterns themselves, before Spring checks method and media types. */
        private boolean matches(RequestMappingInfo info, PathContainer path) {
            if (!startsWithAny(path.value(), fixedStarts.computeIfAbsent(info, Mapping::fixedStarts))) return false;
            PathPatternsRequestCondition patterns = info.getPathPatternsCondition();
            if (patterns == null || patterns.getPatterns().isEmpty()) return true;
            for (PathPattern pattern : patterns.getPatterns()) {
                if (pattern.matches(path)) return true;
            }
            return false;
        }

        private static boolean startsWithAny(String path, List<String> starts) {
            for (String start : starts) {
                if (path.startsWith(start)) return true;
            }
            return false;
        }

        /** What every path a pattern matches starts with: the pattern up to its first variable or wildcard. */
        private static List<String> fixedStarts(RequestMappingInfo info) {
            if (info.getPatternValues().isEmpty()) return List.of("");
            return info.getPatternValues().stream().map(p -> {
                int cut = p.length();
                for (char c : new char[] {'{', '*', '?'}) {
                    int i = p.indexOf(c);
                    if (i >= 0) cut = Math.min(cut, i);
                }
                return p.substring(0, cut);
            }).toList();
        }
    }
}
