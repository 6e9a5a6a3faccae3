package dev.nnj.plots;

import java.awt.BasicStroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import org.jfree.chart.LegendItem;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;

/**
 * How the regression charts draw their rows: small filled circles without outlines, translucent, and a legend entry
 * for them that is drawn solid and larger, since a faint four-pixel dot in the legend would hardly show.
 */
final class ScatterRenderers {
    // First, before a static field loads an AWT class: see PngFiles.headless.
    static {
        PngFiles.headless();
    }

    private ScatterRenderers() {
    }

    /** A renderer of {@code points}' rows as circles of their size and colour, no lines between them. */
    static XYLineAndShapeRenderer points(RegressionPoints points) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        double d = points.markerSize();
        renderer.setSeriesShape(0, new Ellipse2D.Double(-d / 2, -d / 2, d, d));
        renderer.setSeriesPaint(0, points.colour());
        renderer.setDrawOutlines(false);
        renderer.setUseFillPaint(false);
        return renderer;
    }

    /** The rows' legend entry: a solid circle of the points' hue. */
    static LegendItem pointsLegend(String label) {
        return new LegendItem(label, null, null, null, true, new Ellipse2D.Double(-4, -4, 8, 8), true,
                TrainingCharts.TRAINING, false, TrainingCharts.TRAINING, new BasicStroke(), false,
                new Line2D.Double(), new BasicStroke(), TrainingCharts.TRAINING);
    }

    /** A reference line's legend entry (the diagonal, the zero line): a short dashed line in {@code paint}. */
    static LegendItem referenceLegend(String label, java.awt.Paint paint) {
        return new LegendItem(label, null, null, null, false, new Ellipse2D.Double(), false, paint, false, paint,
                new BasicStroke(), true, new Line2D.Double(-12, 0, 12, 0), TrainingCharts.DASHED, paint);
    }
}
