package dev.nnj.plots;

import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.title.TextTitle;

/**
 * A line under a chart's title that says which run drew it ("iris.csv, preset keras, seed 0"), so that charts of
 * several runs side by side can be told apart. Here rather than in the programs that draw charts: the fonts and
 * colours are AWT's ({@code java.desktop}), which this module needs anyway and a program without charts does not.
 */
public final class ChartSubtitles {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    /** The line's font size, in points: smaller than the title's, as a subtitle is. */
    static final int SIZE = 13;

    private ChartSubtitles() {
    }

    /**
     * {@code chart} with {@code line} as its first subtitle, in dark grey; the chart as it is when {@code line} is
     * null.
     *
     * @param chart the chart, changed in place
     * @param line  the line, or null for none
     * @return {@code chart}
     */
    public static JFreeChart withLine(JFreeChart chart, String line) {
        if (line != null) {
            TextTitle subtitle = new TextTitle(line, new Font(Font.SANS_SERIF, Font.PLAIN, SIZE));
            subtitle.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(0, subtitle);
        }
        return chart;
    }
}
