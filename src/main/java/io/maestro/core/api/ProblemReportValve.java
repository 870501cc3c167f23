package io.maestro.core.api;

import io.maestro.core.Json;
import io.maestro.core.Problems;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Requests Tomcat refuses before any filter runs (a malformed URI, for one) get Tomcat's error
 * report, an HTML page. Under /api/ this valve answers application/problem+json instead; other
 * paths keep Tomcat's page (without report or server info, as Boot configures it).
 */
public class ProblemReportValve extends ErrorReportValve {

    public ProblemReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        String uri = request.getRequestURI();
        if (uri == null || !uri.startsWith("/api/")) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) return;
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error " + status : known.getReasonPhrase();
        try {
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(Json.write(Problems.body(status, title, "The request was refused: " + title, null, null, null)));
                response.finishResponse();
            }
        } catch (Exception ignored) {
            // the connection is gone or the response already committed: nothing more to say
        }
    }

    /** Puts this valve in place of the ErrorReportValve Boot adds to the host. */
    @Component
    static class Installer implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {
        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Pipeline pipeline = context.getParent().getPipeline();
                for (Valve v : pipeline.getValves()) {
                    if (v instanceof ErrorReportValve && !(v instanceof ProblemReportValve)) pipeline.removeValve(v);
                }
                pipeline.addValve(new ProblemReportValve());
                // else the host adds a plain ErrorReportValve when it starts, which would answer first
                if (context.getParent() instanceof StandardHost host) host.setErrorReportValveClass(ProblemReportValve.class.getName());
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE; // after Boot's customizer, which adds the plain valve
        }
    }
}
