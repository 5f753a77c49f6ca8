package io.bifrost.perf.transcode;

import io.bifrost.transcoder.ffmpeg.TranscodeException;
import io.bifrost.transcoder.probe.SourceRejectedException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The perf comparison of issue #4: the time to encode a 1080p source to Bifrost's full ladder with Bifrost's own
 * one-process encode (gpu-transcoder, CPU backend, as the origin runs it) against the same ladder as one ffmpeg per
 * rendition (sequential, and all at once) and against a hand-written single ffmpeg command ({@link BaselineCommands}).
 * <p>
 * The source is generated once ({@link SourceClip}); then every round runs each variant once into a fresh folder,
 * the order rotated by one per round so that no variant always goes first or last (cache and thermal effects), and
 * the outputs are checked and deleted. Wall time is taken around the whole encode, CPU time is the user+sys time of
 * the child processes ({@link CpuTimes}). The Markdown table goes to stdout, progress to stderr. Run it on a quiet
 * machine: it saturates every core for minutes.
 */
public final class TranscodeLadderComparison
{
    private TranscodeLadderComparison()
    {
    }

    /**
     * @param args see {@link ComparisonSettings#USAGE}.
     */
    public static void main(final String[] args)
    {
        final ComparisonSettings settings;
        try
        {
            settings = ComparisonSettings.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.exit(2);
            return;
        }
        try
        {
            run(settings, System.out, System.err);
        }
        catch (final TranscodeException | SourceRejectedException | IOException ex)
        {
            System.err.println("transcode comparison failed: " + ex.getMessage());
            System.exit(1);
        }
    }

    /**
     * @param settings what to run.
     * @param out      the Markdown table.
     * @param progress one line per timed run.
     * @throws TranscodeException      when an encode fails.
     * @throws SourceRejectedException when the origin would refuse the generated source.
     * @throws IOException             when the work folder cannot be written.
     */
    static void run(final ComparisonSettings settings, final PrintStream out, final PrintStream progress)
        throws TranscodeException, SourceRejectedException, IOException
    {
        final boolean ownWorkDir = settings.workDir() == null;
        final Path workDir = ownWorkDir ? Files.createTempDirectory("bifrost-transcode-ladder-") :
            Files.createDirectories(settings.workDir());
        try
        {
            final Path source = workDir.resolve("source-1080p-" + settings.seconds() + "s.mp4");
            progress.printf(Locale.ROOT, "generating %s...%n", source);
            SourceClip.generate(settings.ffmpeg(), settings.seconds(), source);
            final VariantRunner runner = new VariantRunner(settings.ffmpeg(), settings.ffprobe(), source,
                settings.ladderOptions());
            final String machine = machine(settings.ffmpeg());
            final ComparisonReport report = new ComparisonReport();
            for (int round = 0; round < settings.rounds(); round++)
            {
                for (final LadderVariant variant : orderOfRound(round))
                {
                    final Path outputDir = Files.createDirectories(workDir.resolve("out-" + round + "-" +
                        variant.name().toLowerCase(Locale.ROOT)));
                    final Measurement measurement = runner.run(variant, outputDir);
                    deleteRecursively(outputDir);
                    report.add(variant, measurement);
                    progress.printf(Locale.ROOT, "round %d %s: wall %.2f s, CPU %.2f s%n", round + 1,
                        variant.label(), measurement.wallNanos() / 1e9, measurement.cpuNanos() / 1e9);
                }
            }
            report.print(runner.plan(), settings, machine, out);
        }
        finally
        {
            if (ownWorkDir)
            {
                deleteRecursively(workDir);
            }
        }
    }

    /**
     * @param round 0-based round number.
     * @return every variant, rotated left by {@code round} places.
     */
    static List<LadderVariant> orderOfRound(final int round)
    {
        final List<LadderVariant> order = new ArrayList<>(List.of(LadderVariant.values()));
        Collections.rotate(order, -(round % order.size()));
        return order;
    }

    /**
     * @param ffmpeg the ffmpeg executable the comparison runs.
     * @return one line naming the CPUs, the ffmpeg version and the load average now.
     * @throws IOException        when the load average cannot be read (not Linux).
     * @throws TranscodeException when ffmpeg cannot tell its version.
     */
    static String machine(final Path ffmpeg) throws IOException, TranscodeException
    {
        final String load = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
        final String[] loads = load.split(" ");
        return String.format(Locale.ROOT, "Machine: %d CPUs, %s, load average %s %s %s before the rounds.",
            Runtime.getRuntime().availableProcessors(), ffmpegVersion(ffmpeg), loads[0], loads[1], loads[2]);
    }

    private static String ffmpegVersion(final Path ffmpeg) throws IOException, TranscodeException
    {
        final Process process = new ProcessBuilder(ffmpeg.toString(), "-version")
            .redirectErrorStream(true).start();
        final String firstLine;
        try (var reader = process.inputReader(StandardCharsets.UTF_8))
        {
            firstLine = reader.readLine();
            reader.transferTo(java.io.Writer.nullWriter());
        }
        try
        {
            process.waitFor();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new TranscodeException("interrupted while asking ffmpeg for its version", ex);
        }
        if (firstLine == null)
        {
            throw new TranscodeException("ffmpeg -version printed nothing");
        }
        // "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) ..." -> "ffmpeg 5.1.9-0+deb12u1"
        final String[] words = firstLine.split(" ");
        return words.length >= 3 ? words[0] + " " + words[2] : firstLine;
    }

    /**
     * @param root a file or folder; nothing happens when it does not exist.
     * @throws IOException when something in it cannot be deleted.
     */
    static void deleteRecursively(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
            {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException failure) throws IOException
            {
                if (failure != null)
                {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
