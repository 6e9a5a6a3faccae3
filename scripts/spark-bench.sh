#!/usr/bin/env bash
# nnj on Spark beside MLlib's MultilayerPerceptronClassifier: training time and test accuracy on the
# digits and a synthetic 1M x 64 set, on local[1] and local[2]. Usage: scripts/spark-bench.sh [digits|synthetic|all]
# Extra JVM flags through BENCH_OPTS, e.g. BENCH_OPTS="-Dbench.rows=200000".
set -euo pipefail
cd "$(dirname "$0")/.."
# Reactor modules resolve to their target/classes; every module writes its list, nn-spark's is the one used.
mvn -B -q -pl nn-spark -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
cp="nn-spark/target/test-classes:nn-spark/target/classes:$(cat nn-spark/target/bench-classpath.txt)"
opens="$(sed -n 's:.*<spark.test.argLine>\(.*\)</spark.test.argLine>.*:\1:p' nn-spark/pom.xml)"
# shellcheck disable=SC2086
exec java -Xmx6g --add-modules jdk.incubator.vector $opens ${BENCH_OPTS:-} -cp "$cp" \
    dev.nnj.spark.bench.SparkBenchmark "${1:-all}"
