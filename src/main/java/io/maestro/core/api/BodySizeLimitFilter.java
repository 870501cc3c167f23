package io.maestro.core.api;

import io.maestro.core.ProblemException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;

/**
 * A single-record write (POST, PUT, PATCH under /api/) may carry at most
 * {@code maestro.max-body-bytes} (1 MiB by default); a larger one gets 413 before it is read into
 * memory: at once when Content-Length says so, else as soon as the stream passes the limit.
 * Bulk endpoints ({@code .../bulk}) stream many records and file imports ({@code /api/v1/imports})
 * carry whole files: they have their own limits.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class BodySizeLimitFilter extends OncePerRequestFilter {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");
    private final long limit;

    public BodySizeLimitFilter(@Value("${maestro.max-body-bytes:1048576}") long limit) {
        this.limit = limit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !WRITES.contains(request.getMethod()) || !uri.startsWith("/api/") || uri.endsWith("/bulk") || uri.equals("/api/v1/imports");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            ProblemErrorFilter.writeProblem(request, response, 413, message());
            return;
        }
        chain.doFilter(new HttpServletRequestWrapper(request) {
            private ServletInputStream limited;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (limited == null) limited = new Limited(super.getInputStream());
                return limited;
            }
        }, response);
    }

    private String message() {
        return "The request body is larger than " + limit + " bytes";
    }

    private static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Payload too large", detail);
    }

    /** Counts what is read; passing the limit throws 413 (a runtime exception, so no converter turns it into a 400). */
    private final class Limited extends ServletInputStream {
        private final ServletInputStream in;
        private long count;

        Limited(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) add(n);
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) throw tooLarge(message());
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
