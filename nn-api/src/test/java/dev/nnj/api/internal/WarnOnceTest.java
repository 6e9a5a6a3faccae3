package dev.nnj.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A data warning at WARN once a process, then at DEBUG; other words are another warning. */
class WarnOnceTest {

    @Test
    void theSameWarningWithOtherFiguresIsLoggedAtDebug() {
        Logger log = (Logger) LoggerFactory.getLogger("dev.nnj.api.internal.WarnOnceTest.search");
        log.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        log.addAppender(seen);
        try {
            WarnOnce.warn(log, "training set: feature column 0 has mean 4.986e+05 and standard deviation 8811");
            WarnOnce.warn(log, "training set: feature column 0 has mean 4.989e+05 and standard deviation 8699");
            WarnOnce.warn(log, "validation set: feature column 0 has mean 4.986e+05 and standard deviation 8811");
        } finally {
            log.detachAppender(seen);
        }
        assertEquals(List.of(Level.WARN, Level.DEBUG, Level.WARN), seen.list.stream().map(ILoggingEvent::getLevel)
                .toList());
        assertEquals("training set: feature column 0 has mean 4.989e+05 and standard deviation 8699 (said before in "
                + "this process, with other figures)", seen.list.get(1).getFormattedMessage());
    }

    /** Another column, or figures of another size, is another data set's warning: not hidden at DEBUG. */
    @Test
    void anotherColumnOrScaleIsAnotherWarning() {
        String fold = "training set: feature column 3 has mean 655.0 and standard deviation 12.00 (float32)";
        assertEquals(WarnOnce.key(fold), WarnOnce.key(fold.replace("655.0", "612.5").replace("12.00", "14.20")));
        assertEquals("training set: feature column 3 has mean 1e2 and standard deviation 1e1 (float32)",
                WarnOnce.key(fold));
        assertTrue(!WarnOnce.key(fold).equals(WarnOnce.key(fold.replace("column 3", "column 9"))), "another column");
        assertTrue(!WarnOnce.key(fold).equals(WarnOnce.key(fold.replace("column 3", "column 31"))), "column 31");
        assertTrue(!WarnOnce.key(fold).equals(WarnOnce.key(fold.replace("655.0", "-2.5e6"))), "another size");
    }
}
