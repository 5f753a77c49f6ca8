package io.bifrost.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.bifrost.launcher.config.ConfigException;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Applies {@code log-level} and {@code log-format} to Logback: one stdout appender, either human-readable lines or
 * one JSON object per line for log shippers (journald and systemd capture stdout).
 */
final class LogSetup
{
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";

    private LogSetup()
    {
    }

    /**
     * @param level  error, warn, info, debug or trace.
     * @param format text or json.
     * @throws ConfigException for an unknown level or format.
     */
    static void apply(final String level, final String format)
    {
        final Level threshold = switch (level.toLowerCase(Locale.ROOT))
        {
            case "error" -> Level.ERROR;
            case "warn" -> Level.WARN;
            case "info" -> Level.INFO;
            case "debug" -> Level.DEBUG;
            case "trace" -> Level.TRACE;
            default -> throw new ConfigException("log-level must be error, warn, info, debug or trace; got '" +
                level + "'");
        };
        final LoggerContext context = (LoggerContext)LoggerFactory.getILoggerFactory();
        final Encoder<ILoggingEvent> encoder = switch (format.toLowerCase(Locale.ROOT))
        {
            case "text" ->
            {
                final PatternLayoutEncoder pattern = new PatternLayoutEncoder();
                pattern.setPattern(TEXT_PATTERN);
                yield pattern;
            }
            case "json" ->
            {
                final JsonEncoder json = new JsonEncoder();
                json.setWithSequenceNumber(false);
                json.setWithContext(false);
                yield json;
            }
            default -> throw new ConfigException("log-format must be text or json; got '" + format + "'");
        };
        context.reset();
        encoder.setContext(context);
        encoder.start();
        final ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stdout");
        appender.setEncoder(encoder);
        appender.start();
        final ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(threshold);
        root.addAppender(appender);
    }
}
