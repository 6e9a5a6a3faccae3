package dev.nnj.plots;

import dev.nnj.api.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Writes images as PNG files atomically: into a temporary file in the target's folder, forced to disk,
 * then renamed over the target, so a reader never sees half a picture and a crash leaves the old file.
 */
public final class PngFiles {
    private PngFiles() {
    }

    /**
     * Makes AWT run without a display (sets {@code java.awt.headless=true} unless the application chose
     * otherwise). It must run before AWT starts: AWT decides once, when its first class loads, whether it has a
     * display, and where {@code DISPLAY} names no reachable X server (a stale {@code ssh -X} session, a CI job without
     * its Xvfb) every chart then fails. So every drawing entry point of this module calls it first, and every class
     * of it that touches AWT calls it in a static initialiser placed before its static fields (a {@code Color}
     * constant loads AWT when the class initialises).
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * Draws {@code chart} at {@code width} x {@code height} pixels and writes it as {@link #write(BufferedImage, Path)}
     * does: every chart of this module is written so.
     *
     * @param chart  the chart
     * @param width  pixels across
     * @param height pixels down
     * @param file   where it goes; replaced if it exists
     * @throws IOException if the folder cannot be created or the file cannot be written
     */
    public static void write(org.jfree.chart.JFreeChart chart, int width, int height, Path file) throws IOException {
        Objects.requireNonNull(chart, "chart");
        write(chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null), file);
    }

    /**
     * Writes {@code image} to {@code file} as a PNG, creating missing parent folders.
     *
     * @param image the picture
     * @param file  where it goes; replaced if it exists
     * @throws IOException if the folder cannot be created or the file cannot be written
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(file, "file");
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // The JDK names the path alone: a file stands where a folder of the chart's path goes.
            throw new java.nio.file.FileAlreadyExistsException(e.getFile(), null, "cannot write " + file + ": "
                    + e.getFile() + " is a file, not a folder");
        }
        // nn-api's atomic write: a temporary file beside the target, synced, then renamed over it.
        // Through a memory cache: ImageIO.write to a plain stream caches in a temporary file under java.io.tmpdir,
        // and failed with "Can't create cache file!" where that is read-only (a container's read-only root). A chart
        // is some tens of kilobytes; the JVM-wide ImageIO.setUseCache(false) is left to the application.
        AtomicFile.write(file, out -> {   // named as the caller named it, for its messages
            try (javax.imageio.stream.MemoryCacheImageOutputStream png =
                         new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", png)) {
                    throw new IOException("no PNG writer for a " + image.getWidth() + "x" + image.getHeight()
                            + " image of type " + image.getType());
                }
            }
        });
    }
}
