package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.Backend;
import dev.nnj.api.Backends;
import dev.nnj.api.BackendProvider;
import dev.nnj.api.data.Dataset;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.losses.Loss;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.train.Trainer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every backend must pass: each primitive op of {@link Backend} against a
 * double-precision reference on odd shapes and against hand-computed cases, numerical stability at the
 * extremes, the optimizer steps against their formulas, and the tensor and error contracts.
 *
 * <p>A backend's test module depends on nn-api's test-jar and subclasses this class with one method:
 * <pre>{@code
 * class CpuConformanceTest extends BackendConformanceTest {
 *     @Override
 *     protected BackendProvider provider() {
 *         return new CpuBackendProvider();
 *     }
 * }
 * }</pre>
 * with, in the module's pom, the three test dependencies that {@code docs/backends.md} lists (in nnj's own build
 * the parent pom manages their versions):
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.nnj</groupId>
 *   <artifactId>nn-api</artifactId>
 *   <version>0.1.0-SNAPSHOT</version>
 *   <type>test-jar</type>
 *   <scope>test</scope>
 * </dependency>
 * <dependency> <!-- the suite reads its golden files with Jackson -->
 *   <groupId>com.fasterxml.jackson.core</groupId>
 *   <artifactId>jackson-databind</artifactId>
 *   <version>2.22.3</version>
 *   <scope>test</scope>
 * </dependency>
 * <dependency> <!-- and runs on JUnit 5 -->
 *   <groupId>org.junit.jupiter</groupId>
 *   <artifactId>junit-jupiter</artifactId>
 *   <version>5.14.1</version>
 *   <scope>test</scope>
 * </dependency>
 * }</pre>
 * Any SLF4J binding will do, or none: with logback-classic as the binding, three more checks (two warnings of the
 * Trainer's, in {@link ResumeConformance}, and one of {@code ModelCheckpoint}'s, in {@link CheckpointConformance})
 * run; under any other they are skipped with the reason. One more restores a checkpoint without hyperparameters
 * under any binding and checks its warning only under logback.
 * The backend is created once for the class and closed after it. Where it is not available (no GPU, no
 * driver) every test is skipped with the provider's reason; nothing fails and nothing passes silently.
 *
 * <p>The tests are grouped by op family in {@code @Nested} classes, which the subclass inherits and runs. To
 * keep each file readable the families are spread over a chain of abstract classes, each adding its own:
 * <ol>
 *   <li>{@link ConformanceBase}: lifecycle, tensor and random-data helpers;</li>
 *   <li>{@link TensorConformance}: tensor basics and the error contract;</li>
 *   <li>{@link OpConformance}: gemm, columnSums, elementwise ops, dropoutMask, biasActivation,
 *       activationBackward;</li>
 *   <li>{@link LossConformance}: lossSum, lossGradient, countCorrect, numerical stability;</li>
 *   <li>{@link OptimizerConformance}: sgdStep, adamStep, rmspropStep, adagradStep;</li>
 *   <li>this class, the one to subclass, which also mounts the model-level classes built on
 *       {@link ModelTestSupport} (layers, model losses, the worked example, the gradient check, optimizer classes,
 *       Sequential and Trainer, PyTorch golden values, gradient clipping, user-defined math) as {@code @Nested}
 *       classes on the same backend.</li>
 * </ol>
 * The reference implementation is {@link Reference}; comparisons and tolerances are in {@link Checks}.
 */
public abstract class BackendConformanceTest extends OptimizerConformance {

    @Test
    void backendDescribesItself() {
        Backend backend = backend();
        assertEquals(provider().name(), backend.name(), "backend name matches its provider's");
        assertNotNull(backend.description(), "description");
        assertFalse(backend.description().isBlank(), "description must say something");
        // Not Object's "dev.nnj.cpu.CpuBackend@6ee12bac": logs and messages print backends.
        String text = backend.toString();
        assertTrue(text.startsWith(backend.name()) && text.contains(backend.description()),
                "toString gives the name and the description: " + text);
        assertFalse(provider().availability().reason().isBlank(), "availability reason");
    }

    @Test
    void providerIsRegisteredForServiceLoader() {
        // Backends.best() and Backends.get(name) only see providers listed in
        // META-INF/services/dev.nnj.api.BackendProvider.
        boolean found = false;
        for (BackendProvider p : Backends.providers()) {
            found |= p.getClass() == provider().getClass();
        }
        assertTrue(found, provider().getClass().getName() + " is not registered in "
                + "META-INF/services/dev.nnj.api.BackendProvider");
    }

    /**
     * A thread polling {@link dev.nnj.api.Backend#isClosed()} (a health check) sees another thread's close, also once
     * its loop is compiled (a plain field may be read once and never again); two threads closing at once close it
     * once.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void anotherThreadSeesTheBackendClose() throws Exception {
        dev.nnj.api.Backend other = provider().create();
        java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean saw = new java.util.concurrent.atomic.AtomicBoolean();
        Thread health = new Thread(() -> {
            long spins = 0;
            while (!other.isClosed()) {
                if (++spins == 1_000_000) {
                    polling.set(true);   // by now the loop is compiled
                }
            }
            saw.set(true);
        }, "health-check");
        health.setDaemon(true);
        health.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (!polling.get() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread second = new Thread(other::close, "second-closer");
        second.start();
        other.close();
        second.join();
        health.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(5));
        assertTrue(saw.get(), "the polling thread saw the close within 5 s");
        assertTrue(other.isClosed());
    }

    @Test
    void aModelOnAClosedBackendSaysTheBackendIsClosedAndClosesQuietly() {
        // What Backend.close documents for models and optimizers still using it.
        Backend other = provider().create();
        float[] x = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        Dataset data = new Dataset(x, 3, new float[] {1, 0, 0, 1}, 2);
        Sequential m = new Sequential(other, 3, 1).add(new Dense(2, Activation.SOFTMAX));
        Optimizer adam = new dev.nnj.api.optim.Adam(0.1f);   // the simple name is the nested test class's
        Trainer.builder().epochs(1).build().fit(m, Loss.categoricalCrossEntropy(), adam, data, null);
        dev.nnj.api.io.SavedModel saved = new dev.nnj.api.io.SavedModel(m, dev.nnj.api.io.Preprocessing.none(),
                java.util.Map.of());
        dev.nnj.api.io.SavedModel served = new dev.nnj.api.io.SavedModel(new Sequential(backend(), 3, 2)
                .add(new Dense(2, Activation.SOFTMAX)), dev.nnj.api.io.Preprocessing.none(), java.util.Map.of());
        dev.nnj.api.io.ModelSlot slot = new dev.nnj.api.io.ModelSlot(served);
        assertFalse(other.isClosed());
        other.close();
        assertTrue(other.isClosed());
        assertTrue(other.toString().endsWith(" (closed)"), other.toString());
        // A model slot refuses a model it could not serve: taken, it closed the model that worked, and every request
        // failed until the next swap.
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> slot.swap(saved));
        assertTrue(refused.getMessage().contains("swap: the model's backend is closed"), refused.getMessage());
        assertEquals(2, slot.predict(x, 2).length / 2, "the slot still serves its model");
        slot.close();
        // Named as the model's backend, not as the first op a call runs ("zeros: the cpu backend is closed").
        String closed = "the " + other.name() + " backend is closed, and this model computes on it: build or load "
                + "the model on an open backend";
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(x, 2));
        assertEquals(closed, e.getMessage());
        assertEquals(closed, assertThrows(IllegalStateException.class, () -> m.add(new Dense(2))).getMessage());
        assertEquals("Sequential: the " + other.name() + " backend is closed; build the model on an open backend",
                assertThrows(IllegalStateException.class, () -> new Sequential(other, 3, 1)).getMessage());
        assertTrue(m.summary().contains("dense_1"), "a closed backend's model still says what it is");
        e = assertThrows(IllegalStateException.class,
                () -> Trainer.builder().epochs(1).build().fit(m, Loss.categoricalCrossEntropy(), adam, data, null));
        assertEquals("the " + other.name() + " backend is closed, and this model computes on it: build or load the "
                + "model on an open backend", e.getMessage(), "named before an op's name (zeros: ...)");
        adam.close();
        m.close();
    }

    @Test
    void synchronizeReturns() {
        backend().fill(zeros(65, 257), 1);
        backend().synchronize();
        backend().synchronize();
    }

    // ---------------------------------------------------------------- model level, on the same backend

    @Nested
    @DisplayName("layers against finite differences")
    class Layers extends LayerConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("losses and fused gradients against a double-precision MLP")
    class ModelLosses extends ModelLossConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("the article's 2-2-1 example worked by hand")
    class WorkedExample extends WorkedExampleConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("GradientCheck: backward against finite differences of the loss")
    class GradientChecks extends GradientCheckConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("optimizer classes")
    class ModelOptimizers extends ModelOptimizerConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("Sequential and Trainer")
    class Models extends ModelConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("bad data, impossible sizes and state dicts refused at the boundary")
    class Boundary extends BoundaryConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("closed, empty and mismatched models and null arguments refused by name")
    class Misuse extends MisuseConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("model files: save, load, PyTorch layout, preprocessing")
    class ModelFiles extends ModelFileConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("checkpoints: resume exactly, keep the last and the best")
    class Checkpoints extends CheckpointConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("resuming: early stopping and listeners continue from a checkpoint")
    class Resuming extends ResumeConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("the learning-rate range test")
    class LearningRateFinding extends LearningRateFinderConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("thread-safety contract of a model")
    class Threading extends ThreadingConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("PyTorch golden values")
    class TorchGolden extends TorchGoldenConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("gradient clipping against PyTorch")
    class GradientClippingOps extends GradientClippingConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("user-defined activations and losses")
    class Extending extends ExtendingConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("listeners, schedules and metrics in training")
    class TrainingCallbacks extends TrainingCallbackConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("class and sample weights")
    class ClassWeightsTests extends ClassWeightsConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("validation rows held out of the training set")
    class ValidationSplits extends ValidationSplitConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("accuracy only for class targets")
    class Accuracy extends AccuracyConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("divergence stops training")
    class Divergence extends DivergenceConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }

    @Nested
    @DisplayName("NaN, infinities and out-of-range predictions")
    class BadNumbers extends BadNumberConformance {
        @Override
        protected Backend backend() {
            return BackendConformanceTest.this.backend();
        }
    }
}
