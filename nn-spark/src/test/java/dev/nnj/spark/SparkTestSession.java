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
}
