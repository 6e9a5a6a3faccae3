package dev.nnj.plots;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A grid of the images a model got wrong, each enlarged and captioned {@code "true -> predicted"}, drawn
 * with plain Java 2D (a picture of pixels needs no chart).
 *
 * <p>Each image is a row of {@code width x height} values, row-major (for the digits, 64 values of an 8x8
 * image). Every image is scaled to its own minimum and maximum, dark ink on white, so raw counts and
 * scaled features look alike.
 *
 * <pre>{@code
 * MisclassifiedGrid.write(testFeatures, 8, 8, trueLabels, predictedLabels, classNames,
 *         "Misclassified test images", Path.of("misclassified.png"));
 * }</pre>
 */
public final class MisclassifiedGrid {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    /** Screen pixels per image pixel. */
    public static final int ZOOM = 10;
    /** Images per row of the grid. */
    public static final int COLUMNS = 10;
    /** The grid draws at most this many images (the first ones in row order). */
    public static final int MAX_IMAGES = 100;

    private static final int PAD = 12;
    private static final int CAPTION = 22;
    private static final int TITLE = 44;

    private MisclassifiedGrid() {
    }

    /**
     * Writes the grid of the rows where {@code trueLabels[i] != predictedLabels[i]} as a PNG; with none, an
     * image that says so. Its size is {@link #size}.
     *
     * @param features        {@code (rows, width * height)} pixel values, row-major
     * @param width           image width in pixels
     * @param height          image height in pixels
     * @param trueLabels      true class of each row
     * @param predictedLabels predicted class of each row
     * @param classNames      a name per class index, for the captions
     * @param title           the heading, e.g. {@code "Misclassified test images"}
     * @param file            the PNG to write (atomically)
     * @throws IOException if the file cannot be written
     */
    public static void write(float[] features, int width, int height, int[] trueLabels, int[] predictedLabels,
                             String[] classNames, String title, Path file) throws IOException {
        PngFiles.write(render(features, width, height, trueLabels, predictedLabels, classNames, title), file);
    }

    /**
     * Size of the picture for {@code wrong} misclassified images of {@code width x height}.
     *
     * @param wrong  number of misclassified rows
     * @param width  image width in pixels
     * @param height image height in pixels
     * @return {@code {pictureWidth, pictureHeight}}
     */
    public static int[] size(int wrong, int width, int height) {
        int shown = Math.min(wrong, MAX_IMAGES);
        int cols = Math.max(1, Math.min(COLUMNS, shown));
        int rows = Math.max(1, (shown + COLUMNS - 1) / COLUMNS);
        int cellW = Math.max(width * ZOOM, 90) + PAD;
        int cellH = height * ZOOM + CAPTION + PAD;
        return new int[] {Math.max(cols * cellW + PAD, 480), TITLE + rows * cellH + PAD};
    }

    /**
     * Draws the grid of {@link #write}.
     *
     * @param features        {@code (rows, width * height)} pixel values, row-major
     * @param width           image width in pixels
     * @param height          image height in pixels
     * @param trueLabels      true class of each row
     * @param predictedLabels predicted class of each row
     * @param classNames      a name per class index, for the captions
     * @param title           the heading
     * @return the picture
     */
    public static BufferedImage render(float[] features, int width, int height, int[] trueLabels,
                                       int[] predictedLabels, String[] classNames, String title) {
        PngFiles.headless();
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(trueLabels, "trueLabels");
        Objects.requireNonNull(predictedLabels, "predictedLabels");
        Objects.requireNonNull(classNames, "classNames");
        Objects.requireNonNull(title, "title");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1x1, got " + width + "x" + height);
        }
        int pixels = width * height;
        int rows = trueLabels.length;
        if (predictedLabels.length != rows || (long) rows * pixels != features.length) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + width + "x" + height + " = "
                    + ((long) rows * pixels) + " values and " + rows + " predictions, got " + features.length
                    + " values and " + predictedLabels.length + " predictions");
        }
        int wrong = 0;
        for (int i = 0; i < rows; i++) {
            if (trueLabels[i] != predictedLabels[i]) {
                wrong++;
            }
        }
        int[] size = size(wrong, width, height);
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size[0], size[1]);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            String heading = String.format(java.util.Locale.ROOT, "%s: %d of %d (true -> predicted)%s", title, wrong, rows,
                    wrong > MAX_IMAGES ? " (first " + MAX_IMAGES + " shown)" : "");
            g.drawString(heading, PAD, 28);
            if (wrong == 0) {
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
                g.drawString("no image was misclassified", PAD, TITLE + 24);
                return image;
            }
            int cellW = Math.max(width * ZOOM, 90) + PAD;
            int cellH = height * ZOOM + CAPTION + PAD;
            Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
            g.setFont(captionFont);
            FontMetrics fm = g.getFontMetrics();
            int shown = 0;
            for (int i = 0; i < rows && shown < MAX_IMAGES; i++) {
                if (trueLabels[i] == predictedLabels[i]) {
                    continue;
                }
                int x0 = PAD + (shown % COLUMNS) * cellW;
                int y0 = TITLE + (shown / COLUMNS) * cellH;
                int imageX = x0 + (cellW - PAD - width * ZOOM) / 2;
                drawImage(g, features, i * pixels, width, height, imageX, y0);
                String caption = caption(name(classNames, trueLabels[i]), name(classNames, predictedLabels[i]), fm,
                        cellW - PAD);
                g.setColor(Color.BLACK);
                g.drawString(caption, x0 + (cellW - PAD - fm.stringWidth(caption)) / 2,
                        y0 + height * ZOOM + fm.getAscent() + 3);
                shown++;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** One image, enlarged by nearest neighbour, dark where the value is high, with a thin frame. */
    private static void drawImage(Graphics2D g, float[] features, int offset, int width, int height, int x0, int y0) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < width * height; p++) {
            min = Math.min(min, features[offset + p]);
            max = Math.max(max, features[offset + p]);
        }
        float range = max > min ? max - min : 1f;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = (features[offset + y * width + x] - min) / range;
                int level = Math.round(255 * (1 - Math.max(0f, Math.min(1f, v))));
                g.setColor(new Color(level, level, level));
                g.fillRect(x0 + x * ZOOM, y0 + y * ZOOM, ZOOM, ZOOM);
            }
        }
        g.setColor(new Color(180, 180, 180));
        g.drawRect(x0 - 1, y0 - 1, width * ZOOM + 1, height * ZOOM + 1);
    }

    /**
     * {@code "true -> predicted"}, made to fit in {@code width} pixels: a long class name would otherwise run into the
     * next cell's caption. First the words both names start with go ({@code Iris-versicolor -> Iris-virginica}
     * becomes {@code versicolor -> virginica}: the part that tells them apart), then each name loses characters
     * before an ellipsis, the longer first, down to one character each.
     */
    static String caption(String trueName, String predictedName, FontMetrics fm, int width) {
        String a = trueName;
        String b = predictedName;
        if (fm.stringWidth(a + " -> " + b) > width) {
            int shared = sharedWords(a, b);
            a = a.substring(shared);
            b = b.substring(shared);
        }
        while (fm.stringWidth(a + " -> " + b) > width) {
            String shorterA = shorter(a);
            String shorterB = shorter(b);
            boolean canA = !shorterA.equals(a);
            boolean canB = !shorterB.equals(b);
            if (canA && (a.length() >= b.length() || !canB)) {
                a = shorterA;   // the longer name first, or the only one left to shorten
            } else if (canB) {
                b = shorterB;
            } else {
                break;   // one character each: as short as a name can be and still be told
            }
        }
        return a + " -> " + b;
    }

    /**
     * The length of the words two names start with: their common start up to and including its last separator (a
     * space, '-', '_', '.', ':' or '/'), so that what is left starts a word; 0 for none, or when a name would be left
     * empty.
     */
    private static int sharedWords(String a, String b) {
        int common = 0;
        while (common < a.length() && common < b.length() && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        for (int i = common; i > 0; i--) {
            if (" -_.:/".indexOf(a.charAt(i - 1)) >= 0) {
                return i < a.length() && i < b.length() ? i : 0;
            }
        }
        return 0;
    }

    /**
     * {@code name} one character shorter before its ellipsis ({@code "versicolor"} becomes {@code "versicolo…"}), or
     * itself when one character is all that is left of it. By code point, so that a character outside the BMP (an
     * emoji, a rare CJK one) is never split in half.
     */
    private static String shorter(String name) {
        String kept = name.endsWith("\u2026") ? name.substring(0, name.length() - 1) : name;
        if (kept.codePointCount(0, kept.length()) <= 1) {
            return name;
        }
        return kept.substring(0, kept.offsetByCodePoints(kept.length(), -1)) + "\u2026";
    }

    private static String name(String[] classNames, int label) {
        return label >= 0 && label < classNames.length ? classNames[label] : Integer.toString(label);
    }
}
