package org.lifelongpulse.cli.web;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A page to PNG through Chromium in headless mode (Debian's {@code chromium}), for {@code ./pulse
 * snapshot --png}. Chromium's {@code --screenshot} takes the window only, so the window is tall and
 * the empty bottom is cut off afterwards.
 */
public final class HeadlessChromium {

    /** Where to look, after {@code $PULSE_CHROMIUM}. */
    private static final List<String> NAMES =
            List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    static final int WIDTH = 1400;
    static final int TALLEST = 16_000;

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** Chromium from {@code $PULSE_CHROMIUM} or the {@code PATH}, if installed. */
    public static Optional<HeadlessChromium> find() {
        String configured = System.getenv("PULSE_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(new HeadlessChromium(p)) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p));
                }
            }
        }
        return Optional.empty();
    }

    /** What to tell someone whose machine has no Chromium. */
    public static String notInstalled() {
        return "PNG output needs Chromium, which is not installed: install Debian's package"
                + " (sudo apt-get install -y chromium) or set PULSE_CHROMIUM to a Chromium or"
                + " Chrome binary";
    }

    public Path binary() {
        return binary;
    }

    /**
     * Renders {@code page} into {@code png}, {@value #WIDTH} pixels wide and as tall as its content
     * (at most {@value #TALLEST}).
     */
    public void screenshot(URI page, Path png) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("pulse-chromium-");
        Path target = png.toAbsolutePath();
        try {
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.add("--headless");
            command.add("--disable-gpu");
            if ("root".equals(System.getProperty("user.name"))) {
                command.add("--no-sandbox"); // Chromium refuses to run as root with its sandbox
            }
            command.addAll(
                    List.of(
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            "--hide-scrollbars",
                            "--user-data-dir=" + profile,
                            "--window-size=" + WIDTH + "," + TALLEST,
                            "--screenshot=" + target,
                            page.toString()));
            Process chromium =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(profile.resolve("chromium.log").toFile())
                            .start();
            if (!chromium.waitFor(2, TimeUnit.MINUTES)) {
                chromium.destroyForcibly();
                throw new IOException("Chromium did not finish the screenshot within 2 minutes");
            }
            if (chromium.exitValue() != 0 || !Files.exists(target)) {
                String out =
                        Files.readString(profile.resolve("chromium.log"), StandardCharsets.UTF_8);
                throw new IOException(
                        "Chromium ("
                                + binary
                                + ") failed, exit "
                                + chromium.exitValue()
                                + ": "
                                + out.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            cropEmptyBottom(target);
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Cuts the rows below the last one that differs from the page's background. */
    static void cropEmptyBottom(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        int background = image.getRGB(image.getWidth() - 1, image.getHeight() - 1);
        int last = 0;
        for (int y = image.getHeight() - 1; y >= 0 && last == 0; y--) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) != background) {
                    last = y;
                    break;
                }
            }
        }
        int height = Math.min(image.getHeight(), last + 24);
        if (height < image.getHeight()) {
            ImageIO.write(image.getSubimage(0, 0, image.getWidth(), height), "png", png.toFile());
        }
    }
}
