package dev.nnj.api.train;

import dev.nnj.api.internal.DefaultMethods;
import dev.nnj.api.internal.MetadataOrder;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SafeTensors;
import dev.nnj.api.io.TrainerProgress;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Optimizer;
import dev.nnj.api.spi.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves {@link Checkpoint}s while training (Keras' {@code ModelCheckpoint}): after every epoch (or every few,
 * {@link #every every}) the model and optimizer state go to {@code last.safetensors} in a directory, and whenever the
 * monitored metric improves on the best so far, to {@code best.safetensors} too. Each file is written atomically,
 * and records the metric under {@code checkpoint.monitor} and {@code checkpoint.value}. A resumed run
 * ({@code initialEpoch > 0}) on a directory that already holds a best checkpoint of the same network for the same
 * metric starts from its value, so it only replaces it with a better one; a fresh run, or another network, replaces
 * it at its first checkpoint. A fresh run on a directory that holds a {@code last.safetensors} it did not write
 * replaces that at its first checkpoint too, and says so at WARN before the first epoch. Each checkpoint also
 * holds the trainer's {@link TrainingControl#progress() progress} (early stopping's and every
 * {@link ResumableListener}'s), so that {@link Trainer.Builder#resumeFrom}
 * continues those too; the trainer calls this listener after the epoch's other listeners for that reason. Watching
 * {@link EarlyStopping.Monitor#VALIDATION_ACCURACY} needs a validation set of class targets; on any other the first
 * epoch's end throws an {@link IllegalStateException} saying so. A model holding a layer of one's own (a
 * {@link dev.nnj.api.layers.CustomActivationLayer} included) is checkpointed too, without an architecture no file
 * could rebuild: restore it into the network built in code with {@link Checkpoint#restoreInto}.
 *
 * <p>Watch rows held out of training for the purpose ({@link Trainer.Builder#validationSplit}, or a split of one's
 * own), not the test set: the best checkpoint is chosen by them, and a test set that chose it no longer measures it.
 *
 * <pre>{@code
 * ModelCheckpoint checkpoints = new ModelCheckpoint(dir, model, optimizer, EarlyStopping.Monitor.VALIDATION_LOSS);
 * Trainer.builder().epochs(100).listener(checkpoints).build().fit(model, loss, optimizer, train, validation);
 * }</pre>
 */
public final class ModelCheckpoint implements TrainingListener {
    /** File name of the checkpoint of the latest epoch. */
    public static final String LAST = "last.safetensors";
    /** File name of the checkpoint of the best epoch. */
    public static final String BEST = "best.safetensors";
    /** Metadata key of the monitored metric's name. */
    public static final String MONITOR_KEY = "checkpoint.monitor";
    /** Metadata key of the monitored metric's value at the saved epoch. */
    public static final String VALUE_KEY = "checkpoint.value";
    /** File name of the lock a run holds on its directory while it trains. */
    public static final String LOCK = ".nnj-checkpoints.lock";
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);

    private final Path directory;
    private final Sequential model;
    private final Optimizer optimizer;
    private final EarlyStopping.Monitor monitor;
    private final EarlyStopping criterion;
    private Preprocessing preprocessing = Preprocessing.none();
    private Map<String, String> metadata = Map.of();
    /** Checkpoints are taken at epochs divisible by this, and at the run's last epoch. */
    private int every = 1;
    private double best = Double.NaN;
    /**
     * The network JSON ({@link Checkpoint#layersJson}) of the best checkpoint found in the directory, to tell a
     * resumed run from another.
     */
    private String previousArchitecture;
    /** Whether {@link #best} is still the value read from the directory, not yet judged by a run's start. */
    private boolean bestFromDirectory;
    private int bestEpoch;
    private TrainingControl control;
    /** Whether this listener has written {@link #LAST} itself: then a later fit replacing it is no news. */
    private boolean wroteLast;
    /** The directory's lock while a run trains ({@link #claimDirectory}), or null. */
    private FileLock lock;

    /**
     * A listener that checkpoints {@code model} and {@code optimizer} into {@code directory}.
     *
     * @param directory where {@code last.safetensors} and {@code best.safetensors} go; created if missing
     * @param model     the model being trained: the one passed to {@code fit}, which refuses another
     * @param optimizer its optimizer, also the one passed to {@code fit}
     * @param monitor   the metric that decides the best epoch
     * @throws UncheckedIOException if the directory cannot be created
     * @throws NullPointerException if an argument is null, naming it
     */
    public ModelCheckpoint(Path directory, Sequential model, Optimizer optimizer, EarlyStopping.Monitor monitor) {
        Checks.requireNonNull("ModelCheckpoint", "directory", directory);
        Checks.requireNonNull("ModelCheckpoint", "model", model);
        Checks.requireNonNull("ModelCheckpoint", "optimizer", optimizer);
        Checks.requireNonNull("ModelCheckpoint", "monitor", monitor);
        this.directory = directory;
        this.model = model;
        this.optimizer = optimizer;
        this.monitor = monitor;
        this.criterion = new EarlyStopping(monitor, 1, 0.0, false);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint directory " + directory + ": " + e, e);
        }
        readPreviousBest();
    }

    /** The metric the best checkpoint follows, for the trainer's checks before the first epoch. */
    EarlyStopping.Monitor monitor() {
        return monitor;
    }

    /**
     * Saves this preprocessing in every checkpoint.
     *
     * @param preprocessing the fitted transformations
     * @return this listener
     */
    public ModelCheckpoint preprocessing(Preprocessing preprocessing) {
        this.preprocessing = Checks.requireNonNull("preprocessing", "preprocessing", preprocessing);
        return this;
    }

    /**
     * Saves these entries in every checkpoint's metadata (e.g. the training seed, to resume with it).
     *
     * @param metadata keys not starting with {@code nnj.} or {@code checkpoint.}
     * @return this listener
     * @throws IllegalArgumentException for a reserved key
     */
    public ModelCheckpoint metadata(Map<String, String> metadata) {
        Checks.requireNonNull("metadata", "metadata", metadata);
        for (String key : metadata.keySet()) {
            if (key.startsWith("nnj.") || key.startsWith("checkpoint.")) {
                // The listener's own entries would silently replace it.
                throw new IllegalArgumentException("metadata key '" + key + "' is reserved (nnj.* and checkpoint.*)");
            }
        }
        // In the caller's order, or sorted where the map has none (Map.of's varies from one JVM to the next): two
        // identical runs write byte-identical checkpoints.
        this.metadata = MetadataOrder.stable(metadata);
        return this;
    }

    /**
     * Checkpoints every {@code epochs} epochs instead of every epoch (Keras' {@code save_freq}), and at the run's
     * last requested epoch: each checkpoint is a synced file write or two, which a short epoch can cost several
     * times over. The best checkpoint is then the best of the epochs checkpointed, and a run stopped between them
     * resumes from the last one taken.
     *
     * @param epochs the interval, at least 1
     * @return this listener
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public ModelCheckpoint every(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("every: the interval must be at least 1 epoch, got " + epochs);
        }
        this.every = epochs;
        return this;
    }

    private void readPreviousBest() {
        Path file = directory.resolve(BEST);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (SafeTensors.Reader reader = SafeTensors.open(file)) {
            Map<String, String> m = reader.metadata();
            if (monitor.savedName().equals(m.get(MONITOR_KEY)) && m.get(VALUE_KEY) != null) {
                best = Double.parseDouble(m.get(VALUE_KEY));
                previousArchitecture = Checkpoint.savedLayersJson(m);
                bestFromDirectory = true;
                LOG.debug("{}: best {} so far is {}", file, monitor, best);
            } else if (m.get(MONITOR_KEY) != null) {
                // Another metric's best (or the same metric's, watched the other way) says nothing of this run's.
                LOG.warn("{} is the best for {}, and this run watches {}: its first epoch will replace it", file,
                        m.get(MONITOR_KEY), monitor.savedName());
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("ignoring the existing best checkpoint {}: {}", file, e.getMessage());
        }
    }

    /**
     * Takes the run's control, after checking that the run trains this listener's model and optimizer: a
     * checkpoint of another model, or of another optimizer's state, would resume nothing.
     *
     * @throws IllegalArgumentException if {@code fit} was given another model or optimizer than this listener
     */
    @Override
    public void onTrainingStart(TrainingControl control) {
        requireTrains(control.model(), control.optimizer());
        this.control = control;
        warnOfAnEarlierRunsLastCheckpoint(control.initialEpoch());
        keepPreviousBestOnlyForThisRun(control.initialEpoch());
        claimDirectory();   // last: a listener whose start returned gets its end, which lets the directory go
    }

    /** Lets the directory go for another run. */
    @Override
    public void onTrainingEnd(History history) {
        releaseDirectory();
    }

    /** Lets the directory go for another run. */
    @Override
    public void onTrainingFailed(Throwable failure) {
        releaseDirectory();
    }

    /**
     * Takes the directory's lock file ({@value #LOCK}) for the run: two runs checkpointing into one directory would
     * replace each other's {@code last.safetensors} epoch after epoch, so that neither could be resumed. The operating
     * system lets the lock go when the process ends, however it ends; the file itself stays, empty.
     *
     * @throws IllegalStateException if another run, in this process or another, holds it
     */
    private void claimDirectory() {
        Path file = directory.resolve(LOCK);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock taken = channel.tryLock();
            if (taken == null) {
                throw new IllegalStateException("another process is checkpointing into " + directory + " (it holds "
                        + file + "): two runs would replace each other's " + LAST + "; give this run a directory of "
                        + "its own");
            }
            lock = taken;
            channel = null;   // kept open by the lock until releaseDirectory
        } catch (OverlappingFileLockException sameProcess) {
            throw new IllegalStateException("another run in this process is checkpointing into " + directory
                    + ": two runs would replace each other's " + LAST + "; give this run a directory of its own");
        } catch (IOException e) {
            // A file system without locks (some network ones): the runs are not told apart, as before.
            LOG.debug("cannot lock {}: {}", file, e.getMessage());
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing was locked through it
                }
            }
        }
    }

    private void releaseDirectory() {
        if (lock != null) {
            try {
                lock.channel().close();   // which releases the lock
            } catch (IOException e) {
                LOG.debug("closing the lock of {}: {}", directory, e.getMessage());
            }
            lock = null;
        }
    }

    /**
     * A fresh run in a directory that holds another run's last checkpoint will replace it at its first checkpoint:
     * that run could then no longer be resumed. Said at WARN, once, before the first epoch, so that a run started in
     * the wrong directory can be stopped in time.
     */
    private void warnOfAnEarlierRunsLastCheckpoint(int initialEpoch) {
        Path last = directory.resolve(LAST);
        if (initialEpoch == 0 && !wroteLast && Files.isRegularFile(last)) {
            LOG.warn("{} holds the last epoch of an earlier run; this run starts afresh and replaces it at its first "
                    + "checkpoint, so that run can no longer be resumed (resume from it to continue it instead)", last);
        }
    }

    /**
     * The directory's best checkpoint is this run's only when the run resumes, and with this model's architecture.
     * A fresh run, or another network, would otherwise never replace a better value from another run, and
     * {@code best.safetensors} would silently hold someone else's model.
     */
    private void keepPreviousBestOnlyForThisRun(int initialEpoch) {
        if (!bestFromDirectory) {
            return;   // this listener's own best, from an earlier fit on the same model: kept
        }
        bestFromDirectory = false;
        Path file = directory.resolve(BEST);
        if (initialEpoch == 0) {
            LOG.info("{} holds the best epoch of an earlier run ({} {}); this run starts afresh and replaces it",
                    file, monitor, best);
            best = Double.NaN;
        } else if (previousArchitecture == null || !Checkpoint.sameNetwork(previousArchitecture, model)) {
            LOG.warn("{} holds another network than the one resumed here ({} {}); it will be replaced by this run's "
                    + "best epoch", file, monitor, best);
            best = Double.NaN;
        }
    }

    /**
     * Refuses a run of another model or optimizer. {@link Trainer#fit} asks before it starts any listener, so that
     * none is left started and never ended; {@link #onTrainingStart} asks again, for other callers.
     *
     * @param trained   the model the run trains, or null when the caller does not say
     * @param stepped   the optimizer the run steps
     * @throws IllegalArgumentException if either is not this listener's: found before the first epoch, not after
     *         {@link #every} epochs of training
     */
    void requireTrains(Sequential trained, Optimizer stepped) {
        if (trained != null && trained != model) {
            throw new IllegalArgumentException("ModelCheckpoint saves " + describe(model) + " but fit trains "
                    + describe(trained) + ": give the checkpoint listener the model passed to fit");
        }
        if (stepped != optimizer) {
            throw new IllegalArgumentException("ModelCheckpoint saves the state of " + optimizer.describe()
                    + " but fit steps " + stepped.describe() + (optimizer.describe().equals(stepped.describe())
                    ? " (another instance)" : "") + ": give the checkpoint listener the optimizer passed to fit");
        }
        if (exportsNoState(optimizer)) {
            throw new IllegalArgumentException("ModelCheckpoint saves the optimizer's state with each checkpoint, and "
                    + optimizer.describe() + " (" + optimizer.getClass().getName() + ") cannot export it: extend "
                    + "AbstractOptimizer, or implement Optimizer.exportState and importState");
        }
    }

    /** Whether the optimizer's class leaves exportState to the interface's default, which only throws. */
    private static boolean exportsNoState(Optimizer optimizer) {
        return DefaultMethods.leftAsDefault(optimizer.getClass(), Optimizer.class, "exportState");
    }

    private static String describe(Sequential m) {
        return "a model of " + m.parameterCount() + " parameters (" + m.layers().size() + " layers, @"
                + Integer.toHexString(System.identityHashCode(m)) + ")";
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        if (monitor.needsValidation() && !stats.hasValidation()) {
            // Every value would be NaN: last.safetensors only, and no best one, without a word.
            throw new IllegalStateException("ModelCheckpoint monitors " + monitor
                    + " but the trainer was given no validation set; monitor " + EarlyStopping.Monitor.TRAINING_LOSS
                    + " or pass one to fit");
        }
        if (stats.epoch() % every != 0 && stats.epoch() != stats.epochs()) {
            return;
        }
        double value = monitor.read(stats, "ModelCheckpoint");
        Map<String, String> entries = new LinkedHashMap<>(metadata);
        entries.put(MONITOR_KEY, monitor.savedName());
        entries.put(VALUE_KEY, Double.toString(value));
        // Called without a trainer (by hand), there is no progress to keep.
        TrainerProgress progress = control == null ? TrainerProgress.NONE : control.progress();
        try {
            Checkpoint.save(directory.resolve(LAST), model, optimizer, stats.epoch(), preprocessing, entries,
                    progress);
            wroteLast = true;
            if (!Double.isNaN(value) && criterion.improves(value, best)) {
                Checkpoint.save(directory.resolve(BEST), model, optimizer, stats.epoch(), preprocessing, entries,
                        progress);
                best = value;
                bestEpoch = stats.epoch();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save a checkpoint in " + directory + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
    }

    /**
     * The best value of the monitored metric seen. Before a run starts, it is the value of the directory's
     * existing best checkpoint, if any; a fresh run (or another network) sets it back to NaN when it starts, as it
     * will replace that checkpoint, and only a resumed run of the same network keeps it.
     *
     * @return it, or NaN before any
     */
    public double best() {
        return best;
    }

    /**
     * The epoch of the best checkpoint this listener wrote.
     *
     * @return it, or 0 if it wrote none
     */
    public int bestEpoch() {
        return bestEpoch;
    }
}
