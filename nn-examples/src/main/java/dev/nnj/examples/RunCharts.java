package dev.nnj.examples;

import dev.nnj.plots.ChartSubtitles;
import dev.nnj.plots.PngFiles;
import dev.nnj.plots.TrainingCharts;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;

/**
 * Writes a line chart with the run's line under its title. Its own class, not a method of {@link PlotOptions}:
 * picocli reads every declared method of a command's mixins, which loads the types in their signatures, and a
 * runtime without nn-plots and JFreeChart (the GPU check's bundle) must still run the trainer without {@code
 * --plots}. No method of a command or mixin class names a chart type ({@code ChartTypesOutOfCommandsTest}).
 */
final class RunCharts {
    private RunCharts() {
    }

    /**
     * Writes {@code chart} with {@code line} under its title, at the size of {@link TrainingCharts}' charts.
     *
     * @param chart the chart
     * @param line  the run's line, or null for none
     * @param file  where it goes; replaced atomically
     * @throws IOException if the file cannot be written
     */
    static void line(JFreeChart chart, String line, Path file) throws IOException {
        PngFiles.write(ChartSubtitles.withLine(chart, line), TrainingCharts.WIDTH, TrainingCharts.HEIGHT, file);
    }
}
