package io.maestro.core;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import org.apache.tomcat.util.http.InvalidParameterException;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every error of the JSON API becomes application/problem+json; never a stack trace. */
@RestControllerAdvice(basePackages = "io.maestro")
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final Pattern PARAMETER_NAME = Pattern.compile("Parameter \\[([^\\]\\p{Cntrl}]{1,100})\\]");

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Map<String, Object>> problem(ProblemException e, HttpServletRequest request) {
        return respond(e.status(), e.title(), e.getMessage(), e.errors(), e.extra(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpServletRequest request) {
        return respond(400, "Invalid request", "The request body could not be read as JSON", List.of(
                new FieldError("body", "malformed JSON")), null, request);
    }

    /** Tomcat could not decode a query parameter (bad percent-encoding or UTF-8): name it if Tomcat said which. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Map<String, Object>> badParameter(InvalidParameterException e, HttpServletRequest request) {
        Matcher m = PARAMETER_NAME.matcher(String.valueOf(e.getMessage()));
        String field = m.find() && !m.group(1).isBlank() ? m.group(1) : "query";
        return respond(400, "Invalid request", "The query string is not valid percent-encoded UTF-8",
                List.of(new FieldError(field, "is not valid percent-encoded UTF-8")), null, request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return respond(400, "Invalid request", "Invalid value for parameter " + e.getName(),
                List.of(new FieldError(e.getName(), "invalid value")), null, request);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return respond(400, "Invalid request", "Missing parameter " + e.getParameterName(),
                List.of(new FieldError(e.getParameterName(), "is required")), null, request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(405, "Method not allowed", e.getMethod() + " is not supported here", null, null, request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(415, "Unsupported media type", "Send application/json", null, null, request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Map<String, Object>> notAcceptable(HttpServletRequest request) {
        return respond(406, "Not acceptable", "This resource answers application/json", null, null, request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, Object>> noResource(HttpServletRequest request) {
        return respond(404, "Not found", "No such resource: " + request.getRequestURI(), null, null, request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, Object>> tooLarge(HttpServletRequest request) {
        return respond(413, "Payload too large", "The request body is larger than allowed", null, null, request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Map<String, Object>> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        log.warn("Integrity violation on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMostSpecificCause().getMessage());
        return respond(409, "Conflict", "The change conflicts with stored data", null, null, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        if (io.maestro.core.reliability.TransientDatabaseError.is(e)) return unavailable(e, request);
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(500, "Internal error", "An unexpected error occurred; it has been logged", null, null, request);
    }

    /**
     * The database refused or lost the request's transaction for a reason that passes (a lock
     * wait, a deadlock, an unreachable server) and replaying it inside did not help: nothing of it
     * was stored, the client may send it again.
     */
    static ResponseEntity<Map<String, Object>> unavailable(Exception e, HttpServletRequest request) {
        log.warn("Database temporarily unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(),
                io.maestro.core.reliability.TransientDatabaseError.cause(e));
        ResponseEntity<Map<String, Object>> r = respond(503, "Service unavailable",
                "The database is busy or unreachable; nothing was stored. Retry in a moment", null, null, request);
        return ResponseEntity.status(503).headers(r.getHeaders()).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).body(r.getBody());
    }

    /** Seconds a client waits before sending a request answered 503 again. */
    public static final String RETRY_AFTER_SECONDS = "2";

    static ResponseEntity<Map<String, Object>> respond(int status, String title, String detail, List<FieldError> errors,
                                                       Map<String, Object> extra, HttpServletRequest request) {
        return ResponseEntity.status(status)
                .header(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .body(Problems.body(status, title, detail, errors, extra, request.getRequestURI()));
    }
}
