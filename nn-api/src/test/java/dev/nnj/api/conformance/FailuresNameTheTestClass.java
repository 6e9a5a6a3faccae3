package dev.nnj.api.conformance;

import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Puts the concrete test class in front of every failure message: {@code [CudaConformanceTest] gemm alpha=1.0
 * …}. Surefire reports the {@code @Nested} classes under the name of the abstract class that declares them
 * ({@code OpConformance$Gemm}), so a module that runs the suite twice (say on an emulated and on a real
 * device) would otherwise not say which run failed.
 */
final class FailuresNameTheTestClass implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TestAbortedException) {
            throw thrown; // a skip stays a skip
        }
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        String name = "[" + instances.get(0).getClass().getSimpleName() + "] ";
        if (thrown instanceof AssertionError) {
            AssertionFailedError named = new AssertionFailedError(name + thrown.getMessage(), thrown);
            named.setStackTrace(thrown.getStackTrace());
            throw named;
        }
        // Any other exception keeps its type (an error, not a failure) and carries the name beside it.
        thrown.addSuppressed(new AssertionFailedError(name + "threw " + thrown));
        throw thrown;
    }
}
