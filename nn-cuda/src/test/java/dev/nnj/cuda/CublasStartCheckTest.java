package dev.nnj.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Availability;
import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import org.junit.jupiter.api.Test;

/** The probe's cuBLAS start-up step with fake native steps: the verdict, and that set-up is always undone. */
class CublasStartCheckTest {

    /** Records the steps run; fails the one named. */
    private static final class FakeSteps implements CublasStartCheck.Steps {
        final List<String> log = new ArrayList<>();
        final String failing;
        final RuntimeException failure;

        FakeSteps(String failing, RuntimeException failure) {
            this.failing = failing;
            this.failure = failure;
        }

        private void step(String name) {
            log.add(name);
            if (name.equals(failing)) {
                throw failure;
            }
        }

        @Override
        public void retainContext() {
            step("retain");
        }

        @Override
        public void createHandle() {
            step("create");
        }

        @Override
        public void destroyHandle() {
            step("destroy");
        }

        @Override
        public void releaseContext() {
            step("release");
        }
    }

    @Test
    void aHandleThatCanBeCreatedMeansAvailableAndIsDestroyed() {
        FakeSteps steps = new FakeSteps("", null);
        Availability a = CublasStartCheck.check("Fake GPU", steps);
        assertTrue(a.available(), a.reason());
        assertEquals(List.of("retain", "create", "destroy", "release"), steps.log);
    }

    @Test
    void cublasCreateFailingMeansUnavailableWithTheErrorAndTheContextIsReleased() {
        FakeSteps steps = new FakeSteps("create", new CudaException("CUBLAS_STATUS_NOT_INITIALIZED"));
        Availability a = CublasStartCheck.check("Fake GPU", steps);
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("cuBLAS cannot start on Fake GPU: CUBLAS_STATUS_NOT_INITIALIZED"),
                a.reason());
        assertEquals(List.of("retain", "create", "release"), steps.log, "no destroy of a handle never created");
    }

    @Test
    void aContextThatCannotBeRetainedMeansUnavailableAndNothingIsReleased() {
        FakeSteps steps = new FakeSteps("retain", new CudaException("CUDA_ERROR_INVALID_DEVICE"));
        Availability a = CublasStartCheck.check("Fake GPU", steps);
        assertFalse(a.available());
        assertTrue(a.reason().contains("CUDA_ERROR_INVALID_DEVICE"), a.reason());
        assertEquals(List.of("retain"), steps.log);
    }

    @Test
    void aMissingFunctionIsAReasonNotACrash() {
        FakeSteps steps = new FakeSteps("create", new IllegalStateException("symbol cublasCreate_v2 not found"));
        Availability a = CublasStartCheck.check("Fake GPU", steps);
        assertFalse(a.available());
        assertTrue(a.reason().contains("cublasCreate_v2"), a.reason());
        assertEquals(List.of("retain", "create", "release"), steps.log);
    }

    @Test
    void aFailingCleanUpDoesNotChangeTheVerdict() {
        FakeSteps steps = new FakeSteps("destroy", new CudaException("CUBLAS_STATUS_INTERNAL_ERROR"));
        Availability a = CublasStartCheck.check("Fake GPU", steps);
        assertTrue(a.available(), a.reason());
        assertEquals(List.of("retain", "create", "destroy", "release"), steps.log);
    }
}
