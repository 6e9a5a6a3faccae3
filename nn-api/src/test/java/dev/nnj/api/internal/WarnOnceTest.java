package dev.nnj.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
