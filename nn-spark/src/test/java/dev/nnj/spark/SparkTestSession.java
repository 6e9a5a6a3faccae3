package dev.nnj.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession for every test class in the JVM: starting Spark costs seconds, so the tests share
 * it. {@code local[2,4]}: two task threads (the CI machine's cores) and up to 4 attempts per task, so a
 * test can make a task fail once and watch Spark retry it (plain {@code local[2]} allows no retry).
 */
final class SparkTestSession {
    private static SparkSession session;

    private SparkTestSession() {
    }

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("nn-spark tests")
                    .master("local[2,4]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "stop-spark"));
        }
        return session;
    }

    /**
     * Skips, with the reason, a test that reads or writes files through Hadoop on a JDK where Spark's Hadoop client
     * cannot: Hadoop 3.4 (Spark 4.1's) asks {@code Subject.getSubject} for the current user, which JDK 24 and later no
     * longer support ("getSubject is not supported"; HADOOP-19212, whose fix is not in that client). Spark 4.1 supports
     * JDK 17 and 21.
     */
    @SuppressWarnings("removal")   // the call Hadoop makes, to ask whether it still works here
    static void assumeHadoopFileSystems() {
        boolean works;
        try {
            javax.security.auth.Subject.getSubject(java.security.AccessController.getContext());
            works = true;
        } catch (UnsupportedOperationException e) {
            works = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(works, "Java " + Runtime.version().feature() + " no longer "
                + "supports Subject.getSubject, which Spark 4.1's Hadoop 3.4 client calls to read or write any file "
                + "(HADOOP-19212; the fix is not in the 3.4.2 client Spark 4.1 uses): save, load and file streams need "
                + "JDK 17-23 here");
    }
}
