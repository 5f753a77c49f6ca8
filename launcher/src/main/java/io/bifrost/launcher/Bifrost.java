package io.bifrost.launcher;

import io.bifrost.launcher.config.Config;
import io.bifrost.launcher.config.ConfigException;
import io.bifrost.launcher.config.ConfigKey;
import io.bifrost.launcher.config.ConfigKeys;
import io.bifrost.launcher.config.ConfigType;
import io.bifrost.launcher.upload.UploadCommand;
import io.bifrost.protocol.node.NettyTransport;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code bifrost} command: {@code all}, one role ({@code edge}, {@code origin}, {@code ingest}, {@code control},
 * {@code transcode}), {@code config --effective}, {@code upload FILE} and {@code version}.
 *
 * <p>The options of every command are generated from {@link ConfigKeys}, so each setting is a flag, an environment
 * variable and a config-file key under one name. Exit status: 0 success, 1 runtime failure, 2 bad usage or
 * configuration, 3 the role asked for is not built yet.
 */
public final class Bifrost
{
    /** Success. */
    public static final int EXIT_OK = 0;
    /** A role or the process failed. */
    public static final int EXIT_FAILURE = 1;
    /** Bad command line or configuration. */
    public static final int EXIT_USAGE = 2;
    /** The role asked for has not been built yet. */
    public static final int EXIT_NOT_BUILT = 3;

    private static final String ALL = "all";
    private static final String UPLOAD = "upload";

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<OptionSpec, ConfigKey> optionKeys = new IdentityHashMap<>();

    /**
     * @param env process environment.
     * @param out standard output.
     * @param err standard error.
     */
    public Bifrost(final Map<String, String> env, final PrintWriter out, final PrintWriter err)
    {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /**
     * Entry point.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(System.out, true);
        final PrintWriter err = new PrintWriter(System.err, true);
        System.exit(new Bifrost(System.getenv(), out, err).execute(args));
    }

    /**
     * Run a command line. Serving commands ({@code all} and the roles) block until the process is signalled.
     *
     * @param args command line.
     * @return the exit status.
     */
    public int execute(final String... args)
    {
        final CommandLine commandLine = new CommandLine(rootSpec());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionStrategy(this::run);
        commandLine.setParameterExceptionHandler((ex, arguments) ->
        {
            err.println("bifrost: " + ex.getMessage());
            final CommandLine.UnmatchedArgumentException unmatched =
                ex instanceof CommandLine.UnmatchedArgumentException u ? u : null;
            if (unmatched != null)
            {
                for (final String arg : unmatched.getUnmatched())
                {
                    final String suggestion = arg.startsWith("--") ? ConfigKeys.suggest(arg.substring(2)) : null;
                    if (suggestion != null)
                    {
                        err.println("did you mean --" + suggestion + "?");
                    }
                }
            }
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            return EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) ->
        {
            err.println("bifrost " + cmd.getCommandSpec().name() + ": failed: " + ex);
            ex.printStackTrace(err);
            return EXIT_FAILURE;
        });
        return commandLine.execute(args);
    }

    private int run(final ParseResult parseResult)
    {
        final Integer helpExit = CommandLine.executeHelpRequest(parseResult);
        if (helpExit != null)
        {
            return helpExit;
        }
        final ParseResult sub = parseResult.subcommand();
        if (sub == null)
        {
            parseResult.commandSpec().commandLine().usage(err);
            return EXIT_USAGE;
        }
        final String command = sub.commandSpec().name();
        try
        {
            return switch (command)
            {
                case "version" -> printVersion();
                case "config" -> printEffectiveConfig(sub);
                case UPLOAD -> upload(sub);
                case ALL -> NodeProcess.serve(ALL, Role.inAll(), loadConfig(sub), false, err);
                default -> NodeProcess.serve(command, List.of(roleNamed(command)), loadConfig(sub), true, err);
            };
        }
        catch (final ConfigException ex)
        {
            err.println("bifrost " + command + ": configuration error: " + ex.getMessage());
            return EXIT_USAGE;
        }
    }

    private Config loadConfig(final ParseResult parseResult)
    {
        final Map<String, List<String>> flags = new LinkedHashMap<>();
        for (final OptionSpec option : parseResult.matchedOptions())
        {
            final ConfigKey key = optionKeys.get(option);
            if (key == null)
            {
                continue;
            }
            final Object value = option.getValue();
            final List<String> values = value instanceof String[] array ? List.of(array) : List.of(String.valueOf(value));
            flags.computeIfAbsent(key.name(), k -> new ArrayList<>()).addAll(values);
        }
        return Config.load(env, flags);
    }

    private int upload(final ParseResult parseResult)
    {
        final Path file = Path.of(parseResult.<String>matchedPositionalValue(0, ""));
        final Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("title", parseResult.matchedOptionValue("--title", file.getFileName().toString()));
        putIfGiven(metadata, "description", parseResult.matchedOptionValue("--description", ""));
        putIfGiven(metadata, "tags", String.join(",", parseResult.matchedOptionValue("--tag", new String[0])));
        putIfGiven(metadata, "visibility", parseResult.matchedOptionValue("--visibility", ""));
        putIfGiven(metadata, "language", parseResult.matchedOptionValue("--language", ""));
        final URI origin;
        final int chunkMib;
        final long timeoutSeconds;
        try
        {
            origin = URI.create(parseResult.matchedOptionValue("--origin", "http://127.0.0.1:8081"));
            chunkMib = Integer.parseInt(parseResult.matchedOptionValue("--chunk-mib", "8"));
            timeoutSeconds = Long.parseLong(parseResult.matchedOptionValue("--timeout", "3600"));
            if (origin.getScheme() == null || origin.getHost() == null || chunkMib < 1 || chunkMib > 512 ||
                timeoutSeconds < 1)
            {
                throw new IllegalArgumentException("bad value");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("bifrost upload: --origin must be a URL like http://host:8081, --chunk-mib 1..512, " +
                "--timeout a number of seconds");
            return EXIT_USAGE;
        }
        return new UploadCommand(out, err, System.console() != null, System::nanoTime, Duration.ofSeconds(1))
            .run(new UploadCommand.Request(file, origin, metadata, chunkMib << 20,
                !parseResult.hasMatchedOption("--no-wait"), Duration.ofSeconds(timeoutSeconds)));
    }

    private static void putIfGiven(final Map<String, String> metadata, final String key, final String value)
    {
        if (!value.isEmpty())
        {
            metadata.put(key, value);
        }
    }

    private int printVersion()
    {
        out.println("bifrost " + BuildInfo.version());
        out.println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", " +
            System.getProperty("java.home") + ")");
        out.println("netty transport " + NettyTransport.select("auto").label());
        return EXIT_OK;
    }

    private int printEffectiveConfig(final ParseResult parseResult)
    {
        final Config config = loadConfig(parseResult);
        final String role = parseResult.matchedPositionalValue(0, ALL);
        if (!ALL.equals(role))
        {
            roleNamed(role);
        }
        out.println("# Effective Bifrost configuration for '" + role + "' (precedence: flag > environment > file > default).");
        out.println("# This output is itself a valid config file.");
        config.warnings().forEach(w -> out.println("# warning: " + w));
        for (final Config.Setting setting : config.settings())
        {
            final ConfigKey key = setting.key();
            if (key == ConfigKeys.CONFIG || !(ALL.equals(role) || key.role() == null || key.role().equals(role)))
            {
                continue;
            }
            final String origin = switch (setting.source())
            {
                case DEFAULT -> "default";
                case FILE -> "from " + config.setting(ConfigKeys.CONFIG).raw();
                case ENV -> "from " + key.envName();
                case FLAG -> "from " + key.longFlag();
            };
            final String shown = key.type().printable() || setting.raw().isEmpty() ? setting.raw() : "********";
            out.printf("%-32s # %s%n", key.name() + " = " + shown, origin);
        }
        return EXIT_OK;
    }

    private static Role roleNamed(final String name)
    {
        for (final Role role : Role.values())
        {
            if (role.commandName().equals(name))
            {
                return role;
            }
        }
        throw new ConfigException("no role named '" + name + "'; roles: edge, origin, ingest, control, transcode");
    }

    private CommandSpec rootSpec()
    {
        final CommandSpec root = CommandSpec.create().name("bifrost").mixinStandardHelpOptions(true)
            .version("bifrost " + BuildInfo.version());
        root.usageMessage()
            .description(
                "Bifrost: low-latency live and VOD streaming: ingest, transcode, package, edge cache, control plane.",
                "",
                "Every setting is a flag (--key value), an environment variable (BIFROST_KEY) and a line in the",
                "config file (key = value); flags win over the environment, which wins over the file.",
                "Exit status: 0 ok, 1 failure, 2 bad usage or configuration, 3 role not built yet.")
            .footer("", "Run 'bifrost COMMAND --help' for a command's settings. Docs: README.md, docs/configuration.md.");

        final CommandSpec all = serveSpec(ALL, null);
        all.usageMessage().description(
            "Run every role in one JVM with zero configuration (single-host setup, demos, tests).",
            "Roles that are not built yet are reported and skipped; settings use their full names (--edge.port).");
        root.addSubcommand(ALL, all);
        for (final Role role : Role.values())
        {
            final CommandSpec spec = serveSpec(role.commandName(), role.commandName());
            spec.usageMessage().description("Run one role: " + role.summary() + ".",
                "The role's own settings also have short flags (--port for --" + role.commandName() + ".port).");
            root.addSubcommand(role.commandName(), spec);
        }

        final CommandSpec config = serveSpec("config", null);
        config.usageMessage().description(
            "Print the effective configuration (defaults, file, environment and flags merged) as a config file.");
        config.addOption(OptionSpec.builder("--effective").description("print the merged configuration (the default)")
            .arity("0").build());
        config.addPositional(PositionalParamSpec.builder().paramLabel("ROLE").arity("0..1").type(String.class)
            .description("limit the output to one role's settings (edge, origin, ingest, control, transcode)").build());
        root.addSubcommand("config", config);

        root.addSubcommand(UPLOAD, uploadSpec());

        final CommandSpec version = CommandSpec.create().name("version").mixinStandardHelpOptions(true);
        version.usageMessage().description("Print the Bifrost version, the Java runtime and the network transport.");
        root.addSubcommand("version", version);
        return root;
    }

    private static CommandSpec uploadSpec()
    {
        final CommandSpec upload = CommandSpec.create().name(UPLOAD).mixinStandardHelpOptions(true);
        upload.usageMessage().sortOptions(false).description(
            "Upload a video file to an origin over tus (resumes after a dropped connection), then follow its",
            "transcode until it is published, with a progress bar for each phase. Prints the video id and the",
            "HLS and DASH URLs. Exit status: 0 published, 1 refused or failed, 2 bad arguments.");
        upload.addPositional(PositionalParamSpec.builder().paramLabel("FILE").arity("1").type(String.class)
            .description("the video file").build());
        upload.addOption(uploadOption("--origin", "URL", "the origin (default http://127.0.0.1:8081)"));
        upload.addOption(uploadOption("--title", "TEXT", "title (default the file name)"));
        upload.addOption(uploadOption("--description", "TEXT", "description"));
        upload.addOption(OptionSpec.builder("--tag").paramLabel("TAG").type(String[].class).arity("1")
            .description("a tag; repeat the flag for several").build());
        upload.addOption(uploadOption("--visibility", "public|unlisted|private", "who may list it (default public)"));
        upload.addOption(uploadOption("--language", "CODE", "spoken language, e.g. en"));
        upload.addOption(uploadOption("--chunk-mib", "N", "MiB per upload request (default 8)"));
        upload.addOption(uploadOption("--timeout", "SECONDS", "give up following the transcode after this (default 3600)"));
        upload.addOption(OptionSpec.builder("--no-wait").arity("0")
            .description("stop once the upload is complete; do not follow the transcode").build());
        return upload;
    }

    private static OptionSpec uploadOption(final String name, final String label, final String description)
    {
        return OptionSpec.builder(name).paramLabel(label).type(String.class).arity("1").description(description).build();
    }

    private CommandSpec serveSpec(final String name, final String role)
    {
        final CommandSpec spec = CommandSpec.create().name(name).mixinStandardHelpOptions(true);
        spec.usageMessage().sortOptions(false);
        for (final ConfigKey key : role == null ? ConfigKeys.ALL : ConfigKeys.forRole(role))
        {
            final boolean ownKey = role != null && role.equals(key.role());
            final String[] names = ownKey ? new String[] {key.shortFlag(), key.longFlag()} : new String[] {key.longFlag()};
            final boolean list = key.type() == ConfigType.URL_LIST || key.type() == ConfigType.STRING_LIST;
            final String defaultText = key.defaultValue().isEmpty() ? "" : "default " + key.defaultValue() + ", ";
            final OptionSpec option = OptionSpec.builder(names)
                .paramLabel(key.type().label())
                .type(list ? String[].class : String.class)
                .arity("1")
                .description(key.description() + " (" + defaultText + "env " + key.envName() + ")" +
                    (list ? "; repeat the flag for several" : ""))
                .build();
            optionKeys.put(option, key);
            spec.addOption(option);
        }
        return spec;
    }
}
