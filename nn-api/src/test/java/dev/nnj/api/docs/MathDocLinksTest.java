package dev.nnj.api.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code docs/math.md#section} reference in nn-api's Javadoc names a heading that docs/math.md has (by
 * GitHub's anchor rule), and every class that implements a formula of the article refers to its section.
 */
class MathDocLinksTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/nnj/api");
    private static final Path MATH = Path.of("../docs/math.md");
    private static final Pattern LINK = Pattern.compile("docs/math\\.md#([A-Za-z0-9_-]+)");

    /** GitHub's heading anchor: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    static String anchor(String heading) {
        StringBuilder sb = new StringBuilder();
        for (char c : heading.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                sb.append(c);
            } else if (c == ' ') {
                sb.append('-');
            }
        }
        return sb.toString();
    }

    private static Set<String> anchors() throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readAllLines(MATH, StandardCharsets.UTF_8)) {
            if (line.startsWith("#")) {
                anchors.add(anchor(line.replaceFirst("^#+", "")));
            }
        }
        return anchors;
    }

    @Test
    void anchorRuleMatchesGitHubs() {
        assertEquals("4-backpropagation-the-chain-rule-layer-by-layer",
                anchor(" 4. Backpropagation (the chain rule, layer by layer)"));
    }

    @Test
    void everyMathLinkNamesASection() throws IOException {
        Set<String> anchors = anchors();
        List<String> broken = new ArrayList<>();
        int links = 0;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                Matcher m = LINK.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    links++;
                    if (!anchors.contains(m.group(1))) {
                        broken.add(f + ": #" + m.group(1));
                    }
                }
            }
        }
        assertTrue(links >= 20, "math links found: " + links);
        assertTrue(broken.isEmpty(), "links to no section of docs/math.md (sections: " + anchors + "): " + broken);
    }

    @Test
    void formulaClassesLinkTheirSection() throws IOException {
        String[] classes = {"Activation.java", "LossKind.java", "losses/Loss.java", "layers/Dense.java",
            "layers/Dropout.java", "optim/Sgd.java", "optim/Adam.java", "optim/AdamW.java", "optim/RmsProp.java",
            "optim/AdaGrad.java", "train/Trainer.java", "train/LearningRateSchedule.java",
            "train/ReduceLROnPlateau.java", "metrics/ClassificationReport.java"};
        for (String c : classes) {
            String text = Files.readString(SOURCES.resolve(c), StandardCharsets.UTF_8);
            assertTrue(LINK.matcher(text).find(), c + " does not refer to its section of docs/math.md");
        }
    }
}
