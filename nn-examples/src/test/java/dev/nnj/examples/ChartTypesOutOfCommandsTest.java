package dev.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The GPU check's bundle (nn-cuda/scripts/prepare-gpu-check.sh) runs the trainer without nn-plots, JFreeChart and
 * java.desktop, which only {@code --plots} needs. picocli reads every declared method and field of the command and
 * its mixins, which loads each type their signatures name: a chart type there ended the bundle's digits step in a
 * NoClassDefFoundError for org.jfree.chart.JFreeChart. So no class of this program but the few that draw charts
 * names a chart or AWT type in a signature; those few are listed here, and none of them is a command or mixin.
 */
class ChartTypesOutOfCommandsTest {
    /** The classes that draw charts, called only with --plots; picocli never reflects on them. */
    private static final List<String> DRAWING = List.of("RunCharts");

    @Test
    void noCommandOrMixinSignatureNamesAChartOrAwtType() throws Exception {
        Path root = Path.of(PlotOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("dev/nnj/examples");
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (DRAWING.contains(name.substring(name.lastIndexOf('.') + 1))) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, PlotOptions.class.getClassLoader());
                checked++;
                for (Method m : c.getDeclaredMethods()) {
                    check(offenders, c, m.getName(), m.getReturnType());
                    check(offenders, c, m.getName(), m.getParameterTypes());
                }
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    check(offenders, c, "<init>", k.getParameterTypes());
                }
                for (Field field : c.getDeclaredFields()) {
                    check(offenders, c, field.getName(), field.getType());
                }
            }
        }
        assertTrue(checked > 50, "classes checked: " + checked);
        assertEquals(List.of(), offenders, "move these into a drawing class (as RunCharts): picocli loads them");
    }

    private static void check(List<String> offenders, Class<?> owner, String member, Class<?>... types) {
        for (Class<?> t : types) {
            while (t.isArray()) {
                t = t.getComponentType();
            }
            String n = t.getName();
            if (n.startsWith("org.jfree.") || n.startsWith("dev.nnj.plots.") || n.startsWith("java.awt.")
                    || n.startsWith("javax.imageio.")) {
                offenders.add(owner.getSimpleName() + "." + member + ": " + n);
            }
        }
    }
}
