package dev.nnj.api.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnj.api.Activation;
import dev.nnj.api.data.DataChecks;
import dev.nnj.api.data.CsvReader;
import dev.nnj.api.data.InvalidDataException;
import dev.nnj.api.data.MinMaxScaler;
import dev.nnj.api.data.OneHotEncoder;
import dev.nnj.api.data.SimpleImputer;
import dev.nnj.api.data.StandardScaler;
import dev.nnj.api.init.Initializer;
import dev.nnj.api.io.Checkpoint;
import dev.nnj.api.io.ModelFileException;
import dev.nnj.api.io.ModelFiles;
import dev.nnj.api.io.NamedTensor;
import dev.nnj.api.io.Preprocessing;
import dev.nnj.api.io.SafeTensors;
import dev.nnj.api.io.SavedModel;
import dev.nnj.api.io.WeightLayout;
import dev.nnj.api.layers.Dense;
import dev.nnj.api.layers.Dropout;
import dev.nnj.api.layers.ELU;
import dev.nnj.api.layers.Layer;
import dev.nnj.api.layers.LeakyReLU;
import dev.nnj.api.layers.ReLU;
import dev.nnj.api.layers.Softmax;
import dev.nnj.api.layers.Parameter;
import dev.nnj.api.model.Sequential;
import dev.nnj.api.optim.Adam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Model files on the backend under test: a model saved and loaded back has the same layers, the same
 * parameters and the same predictions bit for bit; PyTorch's {@code (out, in)} layout holds the transposed
 * weights; preprocessing travels with the model; a file that does not match its architecture is refused
 * naming the file and the tensor.
 */
public abstract class ModelFileConformance extends ModelTestSupport {
    private Path dir;

    @BeforeEach
    void createDirectory() throws IOException {
        dir = Files.createTempDirectory("nnj-model-files");
    }

    @AfterEach
    void deleteDirectory() throws IOException {
        if (dir == null) {
            return;   // the backend is unavailable: the test was skipped before the directory was made
        }
        try (var files = Files.walk(dir)) {   // deepest first: a checkpoint directory's files, then it
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        dir = null;
    }

    /** Every layer kind and every activation with a parameter: 6 → … → 5 classes. */
    private Sequential everyLayerKind(long seed) {
        return model(6, seed)
                .add(new Dense(7, Activation.TANH, Initializer.normal(0, 0.5), Initializer.normal(0, 0.1)))
                .add(new ReLU())
                .add(new Dropout(0.25f))
                .add(new Dense(6, Activation.LEAKY_RELU, 0.2f, Initializer.normal(0, 0.5), Initializer.normal(0, 0.1)))
                .add(new ELU(0.7f))
                .add(new Dense(4, Activation.SIGMOID, Initializer.normal(0, 0.5), Initializer.normal(0, 0.1)))
                .add(new LeakyReLU(0.3f))
                .add(new Dense(5, Activation.ELU, 1.5f, Initializer.normal(0, 0.5), Initializer.normal(0, 0.1)))
                .add(new Softmax());
    }

    private SavedModel load(Path file) throws IOException {
        return track(ModelFiles.load(file, backend()));
    }

    /**
     * A test format: files named {@code *.upper} hold nnj's file, read through {@code ModelFiles.load} of the same
     * bytes named {@code .safetensors}, with a metadata entry that says this format read them.
     */
    public static final class UpperFormat implements dev.nnj.api.io.ModelFileFormat {
        /** Constructs the format; ServiceLoader does. */
        public UpperFormat() {
        }

        @Override
        public String name() {
            return "upper";
        }

        @Override
        public boolean reads(String name) {
            return name.endsWith(".upper");
        }

        @Override
        public SavedModel load(Path file, dev.nnj.api.Backend backend) throws IOException {
            return load(Files.newInputStream(file), file.toString(), backend);
        }

        @Override
        public SavedModel load(java.io.InputStream in, String name, dev.nnj.api.Backend backend) throws IOException {
            SavedModel saved = ModelFiles.load(in, name + ".safetensors", backend);
            Map<String, String> metadata = new LinkedHashMap<>(saved.metadata());
            metadata.put("read-by", name());
            return new SavedModel(saved.model(), saved.preprocessing(), metadata);
        }
    }

    /**
     * {@code ModelFiles.load} hands a file to the {@link dev.nnj.api.io.ModelFileFormat} that claims its name, found
     * with ServiceLoader through the thread's class loader; a provider that cannot be loaded, listed first, is passed
     * over; every other name is nnj's own file.
     */
    @Test
    void aModelFileFormatOnTheClassPathReadsTheFilesItClaims() throws IOException {
        Sequential original = everyLayerKind(12);
        Path safetensors = dir.resolve("model.safetensors");
        ModelFiles.save(original, safetensors);
        Path upper = dir.resolve("model.upper");
        Files.copy(safetensors, upper);
        Path services = dir.resolve("META-INF-root");
        Path serviceFile = services.resolve("META-INF/services/" + dev.nnj.api.io.ModelFileFormat.class.getName());
        Files.createDirectories(serviceFile.getParent());
        Files.writeString(serviceFile, "no.such.Format\n" + UpperFormat.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {services.toUri().toURL()},
                ModelFileConformance.class.getClassLoader())) {
            thread.setContextClassLoader(loader);
            SavedModel byFormat = load(upper);
            assertEquals("upper", byFormat.metadata().get("read-by"));
            float[] x = uniform(random("format"), 4 * 6, -2, 2);
            assertSameFloats("predictions", original.predict(x, 4), byFormat.model().predict(x, 4));
            try (java.io.InputStream in = Files.newInputStream(upper)) {
                assertEquals("upper", track(ModelFiles.load(in, "/models/model.upper", backend())).metadata()
                        .get("read-by"));
            }
            assertEquals(null, load(safetensors).metadata().get("read-by"), "nnj's own file, by nnj");
            // save writes nnj's format alone: under a name another format claims, load could not read it back.
            Path claimed = dir.resolve("saved.upper");
            assertThrowsSaying(IllegalArgumentException.class, () -> ModelFiles.save(original, claimed),
                    "saved.upper is a name load reads as upper", "name it *.safetensors");
            assertTrue(!Files.exists(claimed), "nothing written");
        } finally {
            thread.setContextClassLoader(before);
            Files.delete(serviceFile);
            Files.delete(serviceFile.getParent());
            Files.delete(serviceFile.getParent().getParent());
            Files.delete(services);
        }
    }

    @Test
    void aLoadedModelHasTheSameLayersParametersAndPredictions() throws IOException {
        Sequential original = everyLayerKind(11);
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(original, file);
        Sequential loaded = load(file).model();

        assertEquals(original.layers().size(), loaded.layers().size(), "layer count");
        for (int i = 0; i < original.layers().size(); i++) {
            Layer a = original.layers().get(i);
            Layer b = loaded.layers().get(i);
            assertEquals(a.name(), b.name(), "layer " + i + " name");
            assertEquals(a.getClass(), b.getClass(), a.name() + " class");
            assertEquals(a.config(), b.config(), a.name() + " configuration");
        }
        for (Parameter p : original.parameters()) {
            assertSameFloats(p.name(), p.read(), loaded.parameter(p.name()).read());
        }
        float[] x = uniform(random("predict"), 9 * 6, -2, 2);
        assertSameFloats("predictions", original.predict(x, 9), loaded.predict(x, 9));
        // The dropout mask stream is part of the file: training forwards draw the same masks too.
        Sequential originalAgain = everyLayerKind(11);
        float[] trainingOriginal = originalAgain.forward(tensor(x, 9, 6), true).toArray();
        float[] trainingLoaded = loaded.forward(tensor(x, 9, 6), true).toArray();
        assertSameFloats("training forward (dropout masks)", trainingOriginal, trainingLoaded);
    }

    @Test
    void thePyTorchLayoutStoresEachWeightTransposed() throws IOException {
        Sequential original = everyLayerKind(12);
        Path file = dir.resolve("torch.safetensors");
        ModelFiles.save(original, file, WeightLayout.OUT_IN, Preprocessing.none(), Map.of());

        SafeTensors.Contents raw = SafeTensors.read(file);
        assertEquals("out_in", raw.metadata().get(ModelFiles.LAYOUT_KEY), "layout metadata");
        NamedTensor w = raw.tensors().get("dense_1.weight");
        assertArrayEquals(new int[] {7, 6}, w.shape(), "dense_1.weight is (out, in)");
        float[] nnj = original.parameter("dense_1.weight").read();   // (6, 7)
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(nnj[i * 7 + j], w.values()[j * 6 + i], "W[" + i + "][" + j + "]");
            }
        }
        Sequential loaded = load(file).model();
        for (Parameter p : original.parameters()) {
            assertSameFloats(p.name(), p.read(), loaded.parameter(p.name()).read());
        }
    }

    /**
     * A model file keeps its imputer: a loaded model fills in the missing values of the rows it predicts (NaN, or an
     * empty field read by its {@link SavedModel#csvReader()}) before scaling them, as training did.
     */
    @Test
    void aLoadedModelFillsInMissingValuesAsTrainingDid() throws IOException {
        Sequential model = model(2, 29).add(new Dense(2, Activation.SOFTMAX));
        float[] train = {1, Float.NaN, 3, 10, Float.NaN, 30, 2, 20};
        SimpleImputer imputer = new SimpleImputer(SimpleImputer.Strategy.MEAN).fit(train, 2);
        MinMaxScaler scaler = new MinMaxScaler().fit(imputer.transform(train, 2), 2);
        Preprocessing p = Preprocessing.none().withFeatureNames(List.of("a", "b")).withImputer(imputer)
                .withScaler(scaler);
        Path file = dir.resolve("imputed.safetensors");
        ModelFiles.save(model, file, WeightLayout.IN_OUT, p, Map.of());
        SavedModel loaded = load(file);
        float[] rows = {Float.NaN, 15, 2.5f, Float.NaN};
        float[] filled = {2, 15, 2.5f, 20};
        float[] expected = model.predict(scaler.transform(filled, 2), 2);
        assertSameFloats("NaN filled in with the training rows' means, then scaled", expected, loaded.predict(rows, 2));
        CsvReader.Table table = loaded.csvReader().read(new java.io.StringReader("a,b\n,15\n2.5,NA\n"), "m.csv");
        assertSameFloats("an empty field and NA read as missing", expected, loaded.predict(table));
        assertThrows(dev.nnj.api.data.InvalidDataException.class,
                () -> loaded.predict(new float[] {Float.POSITIVE_INFINITY, 1}, 1), "an infinity is not missing");
    }

    /**
     * A regression saved with both scalers (the trainer's {@code --task regression}: features scaled, the target
     * standardized) predicts in the target's units once loaded: the network's standardized output turned back with
     * the training rows' mean and standard deviation, {@code y = z σ + μ}, the same as before saving.
     */
    @Test
    void aLoadedRegressionPredictsInTheTargetsUnits() throws IOException {
        Sequential model = model(2, 29).add(new Dense(3, Activation.TANH, Initializer.normal(0, 0.5),
                Initializer.normal(0, 0.1))).add(new Dense(1, Activation.IDENTITY, Initializer.normal(0, 0.5),
                Initializer.normal(0, 0.1)));
        float[] features = {1, 10, 2, 30, 4, 20};
        MinMaxScaler scaler = new MinMaxScaler().fit(features, 2);
        StandardScaler target = new StandardScaler().fit(new float[] {150_000, 250_000, 200_000}, 1);
        Path file = dir.resolve("regression.safetensors");
        ModelFiles.save(model, file, WeightLayout.IN_OUT, Preprocessing.none().withScaler(scaler)
                .withTargetScaler(target), Map.of());
        SavedModel loaded = load(file);
        float[] z = model.predict(scaler.transform(features, 2), 3);
        float[] expected = new float[3];
        for (int i = 0; i < 3; i++) {
            // StandardScaler's inverse, in float as the library's: mean 200000, population standard deviation 40825.
            expected[i] = (float) (z[i] * target.scale()[0] + target.mean()[0]);
        }
        assertSameFloats("standardized outputs turned back into the target's units", expected,
                loaded.predict(features, 3));
        assertEquals(1, loaded.preprocessing().targets());
        assertTrue(loaded.whyNotAClassifier() != null, "a regression is not read as classes");
    }

    /**
     * A model file keeps the columns its training file left out (an identifier, a date), so that
     * {@link SavedModel#csvReader()} leaves them out of a file to predict where its header has them: the same
     * numbers with them or without, and in any text.
     */
    @Test
    void aLoadedModelLeavesOutTheColumnsItsTrainingFileLeftOut() throws IOException {
        Sequential model = model(2, 23).add(new Dense(2, Activation.SOFTMAX));
        Preprocessing p = Preprocessing.none().withFeatureNames(List.of("a", "b"))
                .withIgnoredColumns(List.of("customer", " signed "));
        Path file = dir.resolve("ignored.safetensors");
        ModelFiles.save(model, file, WeightLayout.IN_OUT, p, Map.of());
        SavedModel loaded = load(file);
        assertEquals(List.of("customer", "signed"), loaded.preprocessing().ignoredColumns());
        float[] expected = model.predict(new float[] {0.5f, -1.5f}, 1);
        CsvReader.Table with = loaded.csvReader().read(new java.io.StringReader(
                "customer,b,signed,a\n\"Doe, J.\",-1.5,2024-01-31,0.5\n"), "with.csv");
        CsvReader.Table without = loaded.csvReader().read(new java.io.StringReader("a,b\n0.5,-1.5\n"), "without.csv");
        CsvReader.Table headerless = loaded.csvReader().withHeader(false).read(new java.io.StringReader(
                "0.5,-1.5\n"), "bare.csv");
        // A model without feature names, and a headerless file read with the default header line: refused, not a row
        // short.
        Path unnamed = dir.resolve("unnamed.safetensors");
        ModelFiles.save(model, unnamed, WeightLayout.IN_OUT, Preprocessing.none(), Map.of());
        SavedModel byPosition = load(unnamed);
        CsvReader.Table rowAsHeader = byPosition.csvReader().read(new java.io.StringReader("0.5,-1.5\n2,3\n"),
                "rows.csv");
        IllegalArgumentException lost = assertThrows(IllegalArgumentException.class,
                () -> byPosition.predict(rowAsHeader));
        assertTrue(lost.getMessage().startsWith("rows.csv: its first line (0.5, -1.5) was read as column names, but "
                + "it is all numbers"), lost.getMessage());
        CsvReader.Table pandas = byPosition.csvReader().read(new java.io.StringReader("0,1\n0.5,-1.5\n"), "p.csv");
        assertSameFloats("pandas' header of column indices is a header", expected, byPosition.predict(pandas));
        assertSameFloats("the columns left out, the others by name", expected, loaded.predict(with));
        assertSameFloats("a file without them", expected, loaded.predict(without));
        assertSameFloats("a file without a header, which has none of them", expected, loaded.predict(headerless));
        // Feature names given after the ignored columns pass the copy's check: saving refuses them all the same.
        Preprocessing late = Preprocessing.none().withIgnoredColumns(List.of("a")).withFeatureNames(List.of("a", "b"));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.save(model, dir.resolve("late.safetensors"), WeightLayout.IN_OUT, late, Map.of()));
        assertTrue(both.getMessage().contains("'a' is both an ignored column and one of the model's features"),
                both.getMessage());
    }

    /**
     * A model file keeps the categories of its one-hot columns with its feature names, so that
     * {@link SavedModel#csvReader()} reads rows to predict as the training file was read, and
     * {@link SavedModel#predict(CsvReader.Table)} matches their columns by name: a file with its columns in another
     * order predicts the same numbers, an unseen category and an unknown column are refused naming them.
     */
    @Test
    void aLoadedModelReadsAndPredictsACsvAsItsTrainingFileWasRead() throws IOException {
        CsvReader.Table training = CsvReader.numeric().withHeader(true).withoutLabelColumn()
                .withCategoricalColumns("color").read(new java.io.StringReader(
                        "x,color,y\n1,red,5\n2,blue,6\n3,green,7\n"), "train.csv");
        assertEquals(List.of("x", "color=blue", "color=green", "color=red", "y"), List.of(training.columnNames()));
        Sequential model = model(5, 21).add(new Dense(3, Activation.SOFTMAX));
        Preprocessing p = Preprocessing.none().withFeatureNames(List.of(training.columnNames()))
                .withCategories(training.categories())
                .withScaler(new MinMaxScaler().fit(training.values(), 5));
        Path file = dir.resolve("categorical.safetensors");
        ModelFiles.save(model, file, WeightLayout.IN_OUT, p, Map.of());
        SavedModel loaded = load(file);
        assertEquals(Map.of("color", List.of("blue", "green", "red")), loaded.preprocessing().categories());

        CsvReader.Table rows = loaded.csvReader().read(new java.io.StringReader("x,color,y\n2,red,6\n"), "a.csv");
        CsvReader.Table reordered = loaded.csvReader().read(new java.io.StringReader("color,y,x\nred,6,2\n"),
                "b.csv");
        float[] expected = model.predict(p.transformFeatures(new float[] {2, 0, 0, 1, 6}, 5), 1);
        assertSameFloats("by name, in the model's order", expected, loaded.predict(rows));
        assertSameFloats("by name, in another order", expected, loaded.predict(reordered));

        IllegalArgumentException unseen = assertThrows(IllegalArgumentException.class,
                () -> loaded.csvReader().read(new java.io.StringReader("x,color,y\n2,violet,6\n"), "c.csv"));
        assertTrue(unseen.getMessage().contains("violet"), unseen.getMessage());
        // A column the model lacks is refused at the header, before any row is read. One that is not the model's is
        // read as numbers (a regression's target, to take out), but a text value in it is not taken for categories
        // to encode: the advice is to read it as the class or leave it out.
        assertThrowsSaying(InvalidDataException.class, () -> loaded.csvReader().read(new java.io.StringReader(
                "x,y,id\n2,6,17\n"), "d.csv"), "d.csv line 1: no column 'color' (expected: 'x', 'color', 'y')");
        assertEquals(17f, loaded.csvReader().read(new java.io.StringReader("x,color,y,id\n2,red,6,17\n"), "d.csv")
                .column("id")[0], "a numeric column not the model's is read");
        assertThrowsSaying(InvalidDataException.class, () -> loaded.csvReader().read(new java.io.StringReader(
                "x,color,y,label\n2,red,6,yes\n"), "e.csv"), "e.csv line 2, column 4: 'yes' is not a number (column "
                + "'label' is not among the expected ones: if it holds the class, read it with withLabelColumn("
                + "\"label\").withTextLabels(true); else leave it out with withIgnoredColumns(\"label\"))");
        CsvReader.Table labelled = loaded.csvReader().withLabelColumn("label").withTextLabels(true).read(
                new java.io.StringReader("x,color,label,y\n2,red,yes,6\n"), "f.csv");
        assertSameFloats("a class column named as the label", expected, loaded.predict(labelled));
        // A table from another reader is still checked by name when predicted.
        CsvReader.Table extra = CsvReader.numeric().withHeader(true).withoutLabelColumn().withCategories("color",
                List.of("blue", "green", "red")).read(new java.io.StringReader("x,color,y,id\n2,red,6,17\n"),
                "d.csv");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> loaded.predict(extra));
        assertTrue(unknown.getMessage().contains("not in the model: 'id'"), unknown.getMessage());

        IllegalArgumentException misfit = assertThrows(IllegalArgumentException.class,
                () -> new SavedModel(model, p.withCategories(Map.of("color", List.of("blue", "pink"))), Map.of()));
        assertTrue(misfit.getMessage().contains("the feature names have no 'color=pink'"), misfit.getMessage());
        // Categories without feature names (files of an earlier version, from a header naming a column twice) load.
        new SavedModel(model, Preprocessing.none().withCategories(Map.of("color", List.of("blue"))), Map.of());
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.none().withCategories(
                new java.util.LinkedHashMap<>(Map.of("c", List.of("a"), " c", List.of("b")))), "one column twice");
        assertThrows(IllegalArgumentException.class,
                () -> Preprocessing.none().withCategories(Map.of("c", List.of("", "a"))), "an empty category");
        assertEquals(Map.of("c", List.of("a")), Preprocessing.none().withCategories(Map.of(" c ", List.of("a")))
                .categories(), "a column name stripped, as a CSV header's is");
    }

    /**
     * Records (column name → value, as a service receives a JSON object) predict what their rows in a CSV file do, bit
     * for bit: numbers as numbers or text, categories one-hot, missing values (null, NaN, an empty text, NA) filled in
     * by the saved imputer, a column the training file left out allowed and not read. What a file would be refused
     * for is refused, naming the record and the column, and so is a record without one of the model's columns or
     * with one that is none of them (the class, say).
     */
    @Test
    void aLoadedModelPredictsRecordsAsItsCsvRows() throws IOException {
        CsvReader reading = CsvReader.numeric().withHeader(true).withoutLabelColumn().withCategoricalColumns("color")
                .withIgnoredColumns("id").withMissingValues(true);
        CsvReader.Table training = reading.read(new java.io.StringReader(
                "id,x,color,y\n7,1,red,5\n8,2,blue,\n9,3,green,7.25\n10,,red,8\n"), "train.csv");
        Sequential model = model(5, 23).add(new Dense(3, Activation.SOFTMAX));
        SimpleImputer imputer = new SimpleImputer(SimpleImputer.Strategy.MEAN).fit(training.values(), 5);
        Preprocessing p = Preprocessing.none().withFeatureNames(List.of(training.columnNames()))
                .withCategories(training.categories()).withIgnoredColumns(List.of("id")).withImputer(imputer)
                .withScaler(new MinMaxScaler().fit(imputer.transform(training.values(), 5), 5));
        Path file = dir.resolve("records.safetensors");
        ModelFiles.save(model, file, WeightLayout.IN_OUT, p, Map.of());
        SavedModel loaded = load(file);

        CsvReader.Table rows = loaded.csvReader().read(new java.io.StringReader(
                "id,x,color,y\n1,2.5,green,0.1\n2,,blue,NA\n3,-4e1,,6\n"), "rows.csv");
        Map<String, Object> third = new java.util.HashMap<>();
        third.put("x", -40.0);
        third.put("color", null);
        third.put("y", 6L);
        List<Map<String, ?>> records = List.of(Map.of("id", 1, "x", "2.5", "color", "green", "y", 0.1f),
                Map.of("x", Double.NaN, "color", "blue", "y", "NA"), third);
        assertSameFloats("records' raw features as their rows'", loaded.features(rows), loaded.features(records));
        assertSameFloats("and their predictions", loaded.predict(rows), loaded.predict(records));
        // Rounded once to the nearest float, as the file's text is: a long past 2^53 (through a double it rounded
        // twice), a decimal of more than 100 characters; a category with spaces around it, as an unquoted field's.
        String longDecimal = "1." + "0".repeat(120) + "1";
        CsvReader.Table edges = loaded.csvReader().read(new java.io.StringReader("x,color,y\n36028824936251393,"
                + " blue ," + longDecimal + "\n"), "edges.csv");
        assertSameFloats("a long, a long decimal and a spaced category", loaded.features(edges), loaded.features(
                List.of(Map.of("x", 36028824936251393L, "color", " blue ", "y", longDecimal))));
        assertSameFloats("a BigDecimal", loaded.features(List.of(Map.of("x", 1, "color", "red", "y", 2))),
                loaded.features(List.of(Map.of("x", 1, "color", "red", "y", new java.math.BigDecimal("2.00")))));

        assertThrowsSaying(IllegalArgumentException.class, () -> loaded.predict(List.of(Map.of("x", 1, "color",
                "red", "y", 2, "label", "yes"))), "record 0 has 'label', not among the model's columns (leave it "
                + "out; a label or target column is not an input); the model's columns: 'x', 'color', 'y'");
        assertThrowsSaying(IllegalArgumentException.class, () -> loaded.predict(List.of(Map.of("x", 1, "y", 2))),
                "record 0 lacks 'color' (a null value is a missing one)");
        assertThrowsSaying(InvalidDataException.class, () -> loaded.predict(List.of(Map.of("x", 1, "color", "red",
                "y", 2), Map.of("x", 1, "color", "violet", "y", 2))), "record 1, column 'color': 'violet' is not "
                + "one of the 3 categories the model was trained with: 'blue', 'green', 'red'");
        assertThrowsSaying(InvalidDataException.class, () -> loaded.predict(List.of(Map.of("x", "1,5", "color",
                "red", "y", 2))), "record 0, column 'x': '1,5' is not a number (a decimal comma?");
        assertThrowsSaying(InvalidDataException.class, () -> loaded.predict(List.of(Map.of("x", 1e39, "color",
                "red", "y", 2))), "record 0, column 'x': 1.0E39 is not a finite float");
        assertThrowsSaying(InvalidDataException.class, () -> loaded.predict(List.of(Map.of("x", true, "color",
                "red", "y", 2))), "record 0, column 'x': a Boolean (true), expected a number or its text");
        assertThrowsSaying(IllegalArgumentException.class, () -> loaded.predict(List.of()), "no records");

        // Without an imputer a missing value is refused, as training refused it.
        SavedModel strict = new SavedModel(model, Preprocessing.none().withFeatureNames(List.of(training.columnNames()))
                .withCategories(training.categories()).withIgnoredColumns(List.of("id")), Map.of());
        assertThrowsSaying(InvalidDataException.class, () -> strict.predict(List.of(Map.of("x", "NA", "color", "red",
                "y", 2))), "record 0, column 'x': missing value ('NA'): the model was saved without an imputer");
        assertThrowsSaying(InvalidDataException.class, () -> strict.predict(List.of(third)),
                "record 0, column 'color': missing category (null)");
        // A model without feature names takes its inputs by position only.
        SavedModel unnamed = new SavedModel(model, Preprocessing.none(), Map.of());
        assertThrowsSaying(IllegalStateException.class, () -> unnamed.predict(List.of(Map.of("x", 1))),
                "the model records no feature names");
    }

    /**
     * A labelled file's classes are read as the model's, by name and for numbers by value, whatever subset of them
     * the file holds; a file without a header line reads with {@code withHeader(false)}, every row kept.
     */
    @Test
    void aLabelledFilesClassesAreTheModelsAndAHeaderlessModelReadsEveryRow() throws IOException {
        Sequential model = model(2, 22).add(new Dense(3, Activation.SOFTMAX));
        Path file = dir.resolve("classes.safetensors");
        ModelFiles.save(model, file, WeightLayout.IN_OUT,
                Preprocessing.none().withClassNames(List.of("1", "2", "3")), Map.of());
        SavedModel loaded = load(file);
        CsvReader.Table rows = loaded.csvReader().withHeader(false).read(new java.io.StringReader("1,2\n3,4\n"),
                "plain.csv");
        assertEquals(2, rows.rows(), "no header: both rows are data");
        CsvReader.Table labelled = loaded.csvReader().withHeader(false).withLabelColumn(-1).withTextLabels(true)
                .read(new java.io.StringReader("1,2,3.0\n3,4,2\n5,6,3\n"), "labelled.csv");
        assertEquals(List.of(2, 1, 2), java.util.Arrays.stream(loaded.classesOf(labelled)).boxed().toList(),
                "3.0 is the class '3' (column 2); the file's own indices would say 1, 0, 1");
        CsvReader.Table unknown = loaded.csvReader().withHeader(false).withLabelColumn(-1).withTextLabels(true)
                .read(new java.io.StringReader("1,2,4\n"), "unknown.csv");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loaded.classesOf(unknown));
        assertTrue(e.getMessage().contains("unknown.csv: data row 1 of 1: label '4' is not one of the model's classes "
                + "[1, 2, 3]"), e.getMessage());

        // A hand-made file's class names reach a terminal through this message: their control characters escaped.
        Path odd = dir.resolve("odd-classes.safetensors");
        ModelFiles.save(model, odd, WeightLayout.IN_OUT,
                Preprocessing.none().withClassNames(List.of("a", "\u001b[2Jb\nModel OK", "\u202ec")), Map.of());
        SavedModel oddModel = load(odd);
        CsvReader.Table red = oddModel.csvReader().withHeader(false).withLabelColumn(-1).withTextLabels(true)
                .read(new java.io.StringReader("1,2,red\n"), "red.csv");
        IllegalArgumentException shown = assertThrows(IllegalArgumentException.class, () -> oddModel.classesOf(red));
        assertTrue(shown.getMessage().endsWith("label 'red' is not one of the model's classes [a, \\u001B[2Jb\\nModel "
                + "OK, \\u202Ec]"), shown.getMessage());
    }

    /** A SavedModel built in code is checked as a loaded one: a scaler of another width is refused at once. */
    @Test
    void aSavedModelBuiltInCodeRefusesPreprocessingThatDoesNotFit() {
        Sequential model = everyLayerKind(14);
        MinMaxScaler threeColumns = new MinMaxScaler().fit(new float[] {0, 1, 2, 3, 4, 5}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SavedModel(model, Preprocessing.none().withScaler(threeColumns), Map.of()));
        assertTrue(e.getMessage().contains("the scaler has 3 columns, the model takes 6 features"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new SavedModel(model, Preprocessing.none(), null));
        Map<String, String> metadata = new java.util.LinkedHashMap<>(Map.of("note", "kept"));
        SavedModel saved = new SavedModel(model, Preprocessing.none(), metadata);
        metadata.put("note", "changed");
        assertEquals("kept", saved.metadata().get("note"), "a copy of the caller's map");
        assertThrows(UnsupportedOperationException.class, () -> saved.metadata().put("x", "y"));
    }

    @Test
    void preprocessingTravelsWithTheModel() throws IOException {
        Random r = random("preprocessing");
        float[] raw = uniform(r, 40 * 6, -3, 17);
        MinMaxScaler minMax = new MinMaxScaler(-1, 1).fit(raw, 6);
        StandardScaler standard = new StandardScaler().fit(raw, 6);
        Sequential original = everyLayerKind(13);
        Preprocessing withMinMax = Preprocessing.none().withScaler(minMax)
                .withEncoder(OneHotEncoder.ofCategories(3, 5, 7, 9, 11))
                .withClassNames(List.of("three", "five", "seven", "nine", "eleven"));
        Path file = dir.resolve("minmax.safetensors");
        ModelFiles.save(original, file, WeightLayout.IN_OUT, withMinMax, Map.of("note", "test"));
        SavedModel loaded = load(file);
        assertEquals("test", loaded.metadata().get("note"), "extra metadata");
        Preprocessing p = loaded.preprocessing();
        assertSameFloats("min-max transform", minMax.transform(raw, 6), p.transformFeatures(raw, 6));
        assertEquals(7, p.label(2), "label of column 2");
        assertEquals("nine", p.className(3), "class name of column 3");
        assertSameFloats("predict applies the scaler", original.predict(minMax.transform(raw, 6), 40),
                loaded.predict(raw, 40));

        Path file2 = dir.resolve("standard.safetensors");
        ModelFiles.save(original, file2, WeightLayout.IN_OUT, Preprocessing.none().withScaler(standard), Map.of());
        assertSameFloats("standard transform", standard.transform(raw, 6),
                load(file2).preprocessing().transformFeatures(raw, 6));
    }

    /**
     * A finite feature the saved scaler takes beyond the float range is named as that, and a NaN in predict's words:
     * before, the first read "predict: features: row 0, column 2 is Infinity; values must be finite" for a finite
     * input, and the second named MinMaxScaler.transform, which the caller never called.
     */
    @Test
    void savedModelPredictNamesABadFeatureInItsOwnWords() throws IOException {
        float[] raw = uniform(random("overflow"), 40 * 6, -3, 17);
        for (int row = 0; row < 40; row++) {
            raw[row * 6 + 2] = 1 + row * 1e-4f;   // a column of range 0.004: the scaler multiplies it by 500
        }
        Sequential original = everyLayerKind(13);
        Path file = dir.resolve("overflow.safetensors");
        ModelFiles.save(original, file, WeightLayout.IN_OUT,
                Preprocessing.none().withScaler(new MinMaxScaler(-1, 1).fit(raw, 6)), Map.of());
        SavedModel loaded = load(file);
        float[] huge = raw.clone();
        huge[6 + 2] = 3.4e38f;
        assertThrowsSaying(IllegalArgumentException.class, () -> loaded.predict(huge, 40),
                "predict: row 1, column 2 is 3.4E38, which the scaler saved with the model turns into",
                "Infinity: far outside the values it was fitted on");
        float[] nan = raw.clone();
        nan[6 * 3 + 5] = Float.NaN;
        assertThrowsSaying(dev.nnj.api.data.InvalidDataException.class, () -> loaded.predict(nan, 40),
                "predict: features: row 3, column 5 is NaN");
    }

    /**
     * A batch of more than 4,096 rows is scaled and predicted a slice at a time, so that it is never copied whole
     * (a million rows of 64 features made a raw OutOfMemoryError in a 350 MB heap that the model alone served): the
     * outputs are the model's on the scaled batch, bit for bit, and a bad row in a later slice is named by its row
     * in the whole batch.
     */
    @Test
    void aLargeBatchIsScaledAndPredictedASliceAtATime() throws IOException {
        int rows = 10_000;
        float[] raw = uniform(random("slices"), rows * 6, -3, 17);
        for (int row = 0; row < rows; row++) {
            raw[row * 6 + 2] = 1 + row % 40 * 1e-4f;   // a column of range 0.004: the scaler multiplies it by 513
        }
        MinMaxScaler scaler = new MinMaxScaler(-1, 1).fit(raw, 6);
        Sequential original = model(6, 17)
                .add(new Dense(5, Activation.RELU, Initializer.normal(0, 100), Initializer.normal(0, 0.1)))
                .add(new Dense(3, Activation.IDENTITY, Initializer.normal(0, 100), Initializer.normal(0, 0.1)));
        Path file = dir.resolve("slices.safetensors");
        ModelFiles.save(original, file, WeightLayout.IN_OUT, Preprocessing.none().withScaler(scaler), Map.of());
        SavedModel loaded = load(file);
        float[] expected = original.predict(scaler.transform(raw, 6), rows);
        float[] actual = loaded.predict(raw, rows);
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "output " + i);
        }
        float[] huge = raw.clone();
        huge[9000 * 6 + 2] = 3.4e38f;
        assertThrowsSaying(IllegalArgumentException.class, () -> loaded.predict(huge, rows),
                "predict: row 9000, column 2 is 3.4E38, which the scaler saved with the model turns into");
        float[] overflowing = raw.clone();
        overflowing[8500 * 6] = 3e38f;   // finite, and scaled by 0.1, but the first layer's weights take it past
        assertThrowsSaying(ArithmeticException.class, () -> loaded.predict(overflowing, rows),
                "predict: row 8500's output ", " though its inputs are finite");
    }

    /** A model packaged as a class-path resource or downloaded loads from its bytes, with a file's checks. */
    @Test
    void aModelLoadsFromAStreamAsFromAFile() throws IOException {
        Sequential original = everyLayerKind(21);
        Path file = dir.resolve("stream.safetensors");
        ModelFiles.save(original, file, WeightLayout.IN_OUT, Preprocessing.none(), Map.of());
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        float[] x = uniform(random("stream"), 7 * original.inputWidth(), -1, 1);
        try (SavedModel fromStream = ModelFiles.load(new java.io.ByteArrayInputStream(bytes), "models/m.safetensors",
                backend())) {
            assertSameFloats("the same predictions", original.predict(x, 7), fromStream.predict(x, 7));
        }
        bytes[bytes.length - 3] ^= 0x10;
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(
                new java.io.ByteArrayInputStream(bytes), "models/m.safetensors", backend()));
        assertTrue(e.getMessage().startsWith("models/m.safetensors: its data does not match the checksum"),
                e.getMessage());
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> ModelFiles.load(getClass().getResourceAsStream("/no-such.safetensors"), "/no-such.safetensors",
                        backend()));
        assertTrue(missing.getMessage().contains("no such resource as /no-such.safetensors?"), missing.getMessage());
    }

    /** A value far outside the scaler's fitted range is counted and the first named; nothing else, and no scaler. */
    @Test
    void farFromTrainingFindsValuesBeyondTheScalersFittedRange() throws IOException {
        float[] raw = uniform(random("far"), 40 * 6, -3, 17);   // every column within [-3, 17)
        Sequential original = everyLayerKind(13);
        Path minMax = dir.resolve("far-minmax.safetensors");
        ModelFiles.save(original, minMax, WeightLayout.IN_OUT, Preprocessing.none()
                .withScaler(new MinMaxScaler().fit(raw, 6)), Map.of());
        Path standard = dir.resolve("far-standard.safetensors");
        ModelFiles.save(original, standard, WeightLayout.IN_OUT, Preprocessing.none()
                .withScaler(new StandardScaler().fit(raw, 6)), Map.of());
        Path none = dir.resolve("far-none.safetensors");
        ModelFiles.save(original, none, WeightLayout.IN_OUT, Preprocessing.none(), Map.of());
        float[] x = raw.clone();
        x[2 * 6 + 4] = 1e30f;
        x[5 * 6 + 1] = -1e6f;
        x[7 * 6] = 30f;   // beyond the range, but not by a range's width: an ordinary new value
        for (Path file : new Path[] {minMax, standard}) {
            SavedModel saved = load(file);
            assertEquals(null, saved.farFromTraining(raw, 40), file + ": the training rows themselves");
            SavedModel.FarFromTraining far = saved.farFromTraining(x, 40);
            assertEquals(2, far.count(), file + ": " + far);
            assertEquals(240, far.values());
            assertEquals(2, far.row());
            assertEquals(4, far.column());
            assertEquals(1e30f, far.value());
            assertTrue(far.toString().startsWith("2 of 240 values lie far outside the range the scaler was fitted on "
                    + "(row 2, column 4: 1.0E30 against "), far.toString());
        }
        assertEquals(null, load(none).farFromTraining(x, 40), "no scaler, nothing known of the training range");
        // A column constant in training borrows the widest column's width with a standard scaler too (its scale of
        // 1 is a divisor, not a spread: 11 was "more than 10 standard deviations" from a constant 0).
        float[] constant = raw.clone();
        for (int i = 0; i < 40; i++) {
            constant[i * 6 + 5] = 0;
        }
        Path flat = dir.resolve("far-flat.safetensors");
        ModelFiles.save(original, flat, WeightLayout.IN_OUT, Preprocessing.none()
                .withScaler(new StandardScaler().fit(constant, 6)), Map.of());
        float[] eleven = constant.clone();
        eleven[5] = 11;
        assertEquals(null, load(flat).farFromTraining(eleven, 40), "11 beside columns of a spread of about 6");
        eleven[5] = 1000;
        assertTrue(load(flat).farFromTraining(eleven, 40).toString().contains("standard deviation 0.0 (constant in "
                + "training)"), load(flat).farFromTraining(eleven, 40).toString());
        assertThrowsSaying(IllegalArgumentException.class, () -> load(minMax).farFromTraining(x, 41),
                "farFromTraining: expected 41 x 6 = 246 features, got 240");
    }

    @Test
    void aBinaryClassifierWithOneOutputKeepsItsTwoClassNames() throws IOException {
        Sequential original = model(3, 16)
                .add(new Dense(4, Activation.TANH, Initializer.normal(0, 0.5), Initializer.normal(0, 0.1)))
                .add(new Dense(1, Activation.SIGMOID, Initializer.normal(0, 0.5), Initializer.normal(0, 0.1)));
        Path file = dir.resolve("binary.safetensors");
        ModelFiles.save(original, file, WeightLayout.IN_OUT, Preprocessing.none().withClassNames(List.of("no", "yes")),
                Map.of());
        SavedModel loaded = load(file);
        assertEquals(2, loaded.preprocessing().classes(), "classes");
        assertEquals("no", loaded.preprocessing().className(0), "class 0, an output up to 0.5");
        assertEquals("yes", loaded.preprocessing().className(1), "class 1, an output above 0.5");
        assertEquals("yes", loaded.className(1));
        assertThrows(IndexOutOfBoundsException.class, () -> loaded.className(2));
        float[] x = uniform(random("binary"), 5 * 3, -2, 2);
        assertSameFloats("predictions", original.predict(x, 5), loaded.predict(x, 5));
        float[] p = loaded.predict(x, 5);
        int[] classes = loaded.predictClasses(x, 5);
        for (int row = 0; row < 5; row++) {
            assertEquals(p[row] > 0.5f ? 1 : 0, classes[row], "one sigmoid output: class 1 above 0.5, row " + row);
        }
    }

    /**
     * What a service does with a loaded model: classes and their names from raw rows, the scaler applied; a
     * class the model does not have, or rows of the wrong width, are refused in the model's terms.
     */
    @Test
    void aSavedModelPredictsNamedClassesFromRawRows() throws IOException {
        Random r = random("classes");
        float[] raw = uniform(r, 40 * 6, -3, 17);
        MinMaxScaler minMax = new MinMaxScaler().fit(raw, 6);
        Sequential original = everyLayerKind(5);
        Path file = dir.resolve("classes.safetensors");
        ModelFiles.save(original, file, WeightLayout.IN_OUT, Preprocessing.none().withScaler(minMax)
                .withClassNames(List.of("a", "b", "c", "d", "e")), Map.of());
        SavedModel loaded = load(file);
        float[] outputs = original.predict(minMax.transform(raw, 6), 40);
        int[] classes = loaded.predictClasses(raw, 40);
        for (int row = 0; row < 40; row++) {
            assertEquals(DataChecks.classOfRow(outputs, row, 5), classes[row], "class of row " + row);
        }
        assertEquals("e", loaded.className(4));
        int[] labels = new int[40];
        for (int row = 0; row < 40; row++) {
            labels[row] = row % 5;
        }
        float[] oneHot = new float[40 * 5];
        for (int row = 0; row < 40; row++) {
            oneHot[row * 5 + labels[row]] = 1;
        }
        dev.nnj.api.metrics.Predictions fromFile = dev.nnj.api.metrics.Predictions.of(loaded,
                new dev.nnj.api.data.Dataset(raw, 6, oneHot, 5));
        assertArrayEquals(classes, fromFile.predictedLabels(), "a saved model's predictions from raw rows");
        assertEquals(dev.nnj.api.metrics.Predictions.of(outputs, 5, labels).balancedAccuracy(),
                fromFile.balancedAccuracy());
        assertArrayEquals(labels, fromFile.trueLabels());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> loaded.className(5));
        assertTrue(e.getMessage().contains("class 5 is not one of the model's 5 classes"), e.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> loaded.predict(new float[4], 1));
        assertEquals("predict: expected 1 x 6 = 6 features, got 4", wide.getMessage(),
                "the model's width, not the scaler's");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> loaded.predict(new float[4], 0));
        assertEquals("predict: rows must be at least 1, got 0", none.getMessage());

        // Rows as arrays, as a request brings them: each row's outputs, the bits of the flat call's.
        float[][] rows = new float[40][];
        for (int row = 0; row < 40; row++) {
            rows[row] = java.util.Arrays.copyOfRange(raw, row * 6, row * 6 + 6);
        }
        float[][] perRow = loaded.predict(rows);
        float[] flat = loaded.predict(raw, 40);
        for (int row = 0; row < 40; row++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(flat, row * 5, row * 5 + 5), perRow[row], "row " + row);
        }
        rows[7] = new float[5];
        assertThrowsSaying(IllegalArgumentException.class, () -> loaded.predict(rows),
                "predict: row 7 has 5 features; the model takes 6");
        assertThrowsSaying(IllegalArgumentException.class, () -> loaded.predict(new float[0][]), "no rows");
    }

    /**
     * A model whose outputs are not classes gets no class: a regression model's one identity output would read as
     * class 1 above 0.5, and its "class name" would be "0" or "1". Several outputs are read by their arg-max
     * (a softmax and its logits agree), and one output behind a Sigmoid layer is a binary classifier.
     */
    @Test
    void aRegressionModelIsRefusedClassesSayingWhy() throws IOException {
        Path file = dir.resolve("regression.safetensors");
        ModelFiles.save(model(3, 19).add(new Dense(4, Activation.RELU)).add(new Dense(1)), file);
        SavedModel regression = load(file);
        float[] x = uniform(random("regression"), 5 * 3, -2, 2);
        assertEquals(5, regression.predict(x, 5).length, "predict gives the values");
        String why = regression.whyNotAClassifier();
        assertEquals("gives one output that is not a probability (its last layer dense_2 ends in identity, not a "
                + "sigmoid), and a one-output model is read as a binary classifier, class 1 above 0.5", why);
        IllegalStateException classes = assertThrows(IllegalStateException.class, () -> regression.predictClasses(x, 5));
        assertEquals("predictClasses: the model " + why + "; its outputs are values, not classes: read them with "
                + "predict", classes.getMessage());
        IllegalStateException name = assertThrows(IllegalStateException.class, () -> regression.className(0));
        assertTrue(name.getMessage().startsWith("className: the model gives one output that is not a probability"),
                name.getMessage());
        IllegalStateException names = assertThrows(IllegalStateException.class, regression::classNames);
        assertTrue(names.getMessage().startsWith("classNames: the model gives one output"), names.getMessage());

        Path logits = dir.resolve("logits.safetensors");
        ModelFiles.save(model(3, 20).add(new Dense(4)), logits);
        SavedModel scores = load(logits);
        assertEquals(null, scores.whyNotAClassifier(), "several outputs: their arg-max is the class");
        float[] outputs = scores.predict(x, 5);
        assertArrayEquals(DataChecks.classesOfRows(outputs, 4), scores.predictClasses(x, 5));

        Path sigmoid = dir.resolve("sigmoid-layer.safetensors");
        ModelFiles.save(model(3, 21).add(new Dense(1)).add(new dev.nnj.api.layers.Sigmoid()), sigmoid);
        assertEquals(null, load(sigmoid).whyNotAClassifier(), "one output behind a Sigmoid layer");
        assertEquals("1", load(sigmoid).className(1));
    }

    /**
     * A regression saved with its target scaler predicts targets in their own units: the feature scaler, the model,
     * then the target scaler's inverse; {@code model().predict} stays in the scaled units. A target scaler of
     * another width than the model's outputs is refused on saving and on loading, naming both widths.
     */
    @Test
    void aTargetScalerTravelsWithARegressionAndPredictUndoesIt() throws IOException {
        Random r = random("target scaler");
        float[] raw = uniform(r, 30 * 3, -3, 17);
        float[] targets = uniform(r, 30 * 2, 100, 400);
        StandardScaler features = new StandardScaler().fit(raw, 3);
        for (boolean standard : new boolean[] {true, false}) {
            Sequential original = model(3, 22).add(new Dense(4, Activation.TANH)).add(new Dense(2));
            Preprocessing p = standard
                    ? Preprocessing.none().withScaler(features).withTargetScaler(new StandardScaler().fit(targets, 2))
                    : Preprocessing.none().withScaler(features).withTargetScaler(new MinMaxScaler().fit(targets, 2));
            Path file = dir.resolve("regression-" + standard + ".safetensors");
            ModelFiles.save(original, file, WeightLayout.IN_OUT, p, Map.of());
            SavedModel loaded = load(file);
            assertEquals(2, loaded.preprocessing().targets(), "target columns");
            float[] scaledOutputs = original.predict(features.transform(raw, 3), 30);
            float[] expected = standard ? p.targetStandardScaler().inverseTransform(scaledOutputs, 2)
                    : p.targetMinMaxScaler().inverseTransform(scaledOutputs, 2);
            assertSameFloats("predict gives targets in their units", expected, loaded.predict(raw, 30));
            dev.nnj.api.metrics.RegressionReport report = dev.nnj.api.metrics.RegressionReport.of(loaded,
                    new dev.nnj.api.data.Dataset(raw, 3, targets, 2));
            assertEquals(dev.nnj.api.metrics.RegressionReport.of(expected, targets, 2).toString(), report.toString(),
                    "a saved model's report is in the targets' units, from raw features");
            assertSameFloats("model().predict stays scaled", scaledOutputs,
                    loaded.model().predict(features.transform(raw, 3), 30));
            assertTrue(loaded.whyNotAClassifier().startsWith("is a regression"), loaded.whyNotAClassifier());
            assertThrows(IllegalStateException.class, () -> loaded.predictClasses(raw, 30));
        }

        // One target column for a model of two outputs: refused before writing, and in a file, on loading.
        Sequential twoOutputs = model(3, 23).add(new Dense(2));
        Preprocessing oneTarget = Preprocessing.none().withTargetScaler(new StandardScaler().fit(targets, 1));
        Path refused = dir.resolve("one-target.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.save(twoOutputs, refused, WeightLayout.IN_OUT, oneTarget, Map.of()));
        assertTrue(e.getMessage().contains("the target scaler has 1 columns, the model gives 2 outputs"),
                e.getMessage());
        assertTrue(!Files.exists(refused), "nothing written");
        Path good = dir.resolve("two-targets.safetensors");
        ModelFiles.save(twoOutputs, good, WeightLayout.IN_OUT,
                Preprocessing.none().withTargetScaler(new StandardScaler().fit(targets, 2)), Map.of());
        SafeTensors.Contents contents = SafeTensors.read(good);
        assertEquals(ModelFiles.WRITER, contents.metadata().get(ModelFiles.WRITTEN_BY_KEY), "the writer is recorded");
        try (dev.nnj.api.io.SavedModel saved = ModelFiles.load(good, backend())) {
            // In a line: the record's own form printed the preprocessing twice, and every value of the metadata.
            String printed = saved.toString();
            assertTrue(printed.startsWith("SavedModel[") && printed.contains(", Preprocessing[target scaler "
                    + "StandardScaler[2 columns]], metadata [") && !printed.contains("\"mean\""), printed);
        }
        Map<String, String> metadata = new LinkedHashMap<>(contents.metadata());
        metadata.put(ModelFiles.PREPROCESSING_KEY, dev.nnj.api.io.JsonWriter.write(oneTarget.toJson()));
        Path bad = dir.resolve("bad-target.safetensors");
        SafeTensors.write(bad, new ArrayList<>(contents.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(bad, backend()), "bad-target.safetensors", ModelFiles.PREPROCESSING_KEY,
                "the target scaler has 1 columns, the model gives 2 outputs");
        // A field this version does not know, as a newer nnj's file may hold: said to be the likely cause.
        metadata.put(ModelFiles.PREPROCESSING_KEY, metadata.get(ModelFiles.PREPROCESSING_KEY).replaceFirst("\\{",
                "{\"calibration\":{},"));
        metadata.put(ModelFiles.WRITTEN_BY_KEY, "nnj 9.1.0");
        Path newer = dir.resolve("newer.safetensors");
        SafeTensors.write(newer, new ArrayList<>(contents.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(newer, backend()), "newer.safetensors", ModelFiles.PREPROCESSING_KEY,
                "unknown field 'calibration'", "(written by nnj 9.1.0, read by " + ModelFiles.WRITER + ": this version "
                + "reads the fields, layers and types it knew when it was built");
        metadata.remove(ModelFiles.WRITTEN_BY_KEY);   // no writer recorded: most likely a newer nnj
        SafeTensors.write(newer, new ArrayList<>(contents.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(newer, backend()), "unknown field 'calibration'",
                "(a newer nnj may have written the file");
        // A feature a newer nnj marks as one a reader must understand: refused by name, not left unread.
        metadata = new LinkedHashMap<>(contents.metadata());
        metadata.remove("nnj.header_crc32c");
        metadata.put(ModelFiles.REQUIRES_KEY, "calibration");
        metadata.put(ModelFiles.WRITTEN_BY_KEY, "nnj 9.1.0");
        Path requires = dir.resolve("requires.safetensors");
        SafeTensors.write(requires, new ArrayList<>(contents.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(requires, backend()), "requires.safetensors", "metadata 'nnj.requires' "
                + "names 'calibration', which this version of nnj does not understand (written by nnj 9.1.0, read by "
                + ModelFiles.WRITER + "): read here it would compute or train otherwise than written; load it with an "
                + "nnj that knows 'calibration'");
        metadata.remove(ModelFiles.WRITTEN_BY_KEY);   // a writer not recorded: most likely a newer one
        SafeTensors.write(requires, new ArrayList<>(contents.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(requires, backend()), "does not understand: a newer nnj wrote the file");
        // Recorded as written by this very version: not "a newer nnj", but an edit or another build.
        metadata.put(ModelFiles.WRITTEN_BY_KEY, ModelFiles.WRITER);
        SafeTensors.write(requires, new ArrayList<>(contents.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(requires, backend()), "names 'calibration', which this version of nnj "
                + "does not understand, though the file records this version as its writer");
        // So is an unknown field in a file recorded as this version's: not "a newer nnj may have written it".
        Map<String, String> edited = new LinkedHashMap<>(metadata);
        edited.remove(ModelFiles.REQUIRES_KEY);
        edited.put(ModelFiles.PREPROCESSING_KEY, edited.get(ModelFiles.PREPROCESSING_KEY).replaceFirst("\\{",
                "{\"calibration\":{},"));
        Path editedFile = dir.resolve("edited.safetensors");
        SafeTensors.write(editedFile, new ArrayList<>(contents.tensors().values()), edited);
        assertRefused(() -> ModelFiles.load(editedFile, backend()), "unknown field 'calibration'",
                "(the file records this version as its writer: it was edited, or written by another build)");
        metadata.put(ModelFiles.REQUIRES_KEY, " ");
        SafeTensors.write(requires, new ArrayList<>(contents.tensors().values()), metadata);
        ModelFiles.load(requires, backend()).close();   // names nothing: nothing more to understand
        // A misspelt nnj key in a file of this version's was read as missing: the model loaded without its scaler.
        Map<String, String> misspelt = new LinkedHashMap<>(contents.metadata());
        misspelt.put("nnj.preprocesing", misspelt.remove(ModelFiles.PREPROCESSING_KEY));
        Path misspeltFile = dir.resolve("misspelt.safetensors");
        SafeTensors.write(misspeltFile, new ArrayList<>(contents.tensors().values()), misspelt);
        assertRefused(() -> ModelFiles.load(misspeltFile, backend()), "misspelt.safetensors", "metadata "
                + "'nnj.preprocesing' is not a key nnj writes, though the file records this version as its writer");
        misspelt.put(ModelFiles.WRITTEN_BY_KEY, "nnj 9.1.0");   // a newer nnj's key: passed over
        SafeTensors.write(misspeltFile, new ArrayList<>(contents.tensors().values()), misspelt);
        ModelFiles.load(misspeltFile, backend()).close();
        // The header's checksum taken out of a file of this version's, as a hand edit of its header would: refused.
        Path unchecked = dir.resolve("unchecked.safetensors");
        Files.write(unchecked, withoutHeaderChecksum(Files.readAllBytes(good)));
        assertRefused(() -> ModelFiles.load(unchecked, backend()), "unchecked.safetensors", "its header has no "
                + "nnj.header_crc32c, though the file records this version as its writer");
        // Another format version: from another writer, both versions named; from this one, an edit.
        Map<String, String> versioned = new LinkedHashMap<>(edited);
        versioned.put(ModelFiles.PREPROCESSING_KEY, metadata.get(ModelFiles.PREPROCESSING_KEY));
        versioned.put(ModelFiles.VERSION_KEY, "2");
        Path two = dir.resolve("version-2.safetensors");
        SafeTensors.write(two, new ArrayList<>(contents.tensors().values()), versioned);
        assertRefused(() -> ModelFiles.load(two, backend()), "version-2.safetensors", "metadata 'nnj.format_version' "
                + "is \"2\"; this version of nnj reads version 1 (the file records this version as its writer: it "
                + "was edited, or written by another build)");
        versioned.put(ModelFiles.WRITTEN_BY_KEY, "nnj 9.1.0");
        SafeTensors.write(two, new ArrayList<>(contents.tensors().values()), versioned);
        assertRefused(() -> ModelFiles.load(two, backend()), "this version of nnj reads version 1; written by nnj "
                + "9.1.0, read by " + ModelFiles.WRITER);
    }

    /**
     * The same model saved twice with the same metadata is the same file, whatever map holds the metadata: a
     * {@code HashMap} or {@code Map.of} iterates in its own order (varying between JVMs for {@code Map.of}), which was
     * the order of the file's header. Such a map's entries are written sorted by key; an ordered map's in its order.
     */
    @Test
    void metadataFromAnUnorderedMapIsWrittenInKeyOrder() throws IOException {
        Sequential m = model(3, 31).add(new Dense(2, Activation.SOFTMAX));
        Map<String, String> hashed = new java.util.HashMap<>();
        hashed.put("q", "1");
        hashed.put("b", "2");
        assertEquals(List.of("q", "b"), List.copyOf(hashed.keySet()), "a HashMap's own order, not the keys'");
        Path fromHash = dir.resolve("hash.safetensors");
        Path fromTree = dir.resolve("tree.safetensors");
        ModelFiles.save(m, fromHash, WeightLayout.IN_OUT, Preprocessing.none(), hashed);
        ModelFiles.save(m, fromTree, WeightLayout.IN_OUT, Preprocessing.none(), new java.util.TreeMap<>(hashed));
        assertArrayEquals(Files.readAllBytes(fromTree), Files.readAllBytes(fromHash));
        Path fromMapOf = dir.resolve("map-of.safetensors");
        ModelFiles.save(m, fromMapOf, WeightLayout.IN_OUT, Preprocessing.none(), Map.of("q", "1", "b", "2"));
        assertArrayEquals(Files.readAllBytes(fromTree), Files.readAllBytes(fromMapOf));
        Path wrapped = dir.resolve("wrapped.safetensors");
        ModelFiles.save(m, wrapped, WeightLayout.IN_OUT, Preprocessing.none(),
                java.util.Collections.unmodifiableMap(hashed));
        assertArrayEquals(Files.readAllBytes(fromTree), Files.readAllBytes(wrapped), "a wrapper iterates as it wraps");
        // A map with an order of its own keeps it.
        Path ordered = dir.resolve("ordered.safetensors");
        ModelFiles.save(m, ordered, WeightLayout.IN_OUT, Preprocessing.none(), new LinkedHashMap<>(hashed));
        assertEquals(List.of("q", "b"), SafeTensors.read(ordered).metadata().keySet().stream()
                .filter(k -> !k.startsWith("nnj.")).toList(), "a LinkedHashMap's order");
        // And a checkpoint's, through ModelCheckpoint's copy of the map.
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        for (Path to : List.of(first, second)) {
            Sequential again = model(3, 31).add(new Dense(2, Activation.SOFTMAX));
            try (dev.nnj.api.optim.Sgd sgd = new dev.nnj.api.optim.Sgd(0.1f)) {
                dev.nnj.api.train.Trainer.builder().epochs(1).batchSize(2).seed(3)
                        .listener(new dev.nnj.api.train.ModelCheckpoint(to, again, sgd,
                                dev.nnj.api.train.EarlyStopping.Monitor.TRAINING_LOSS).metadata(to == first ? hashed
                                : new java.util.TreeMap<>(hashed)))
                        .build().fit(again, dev.nnj.api.losses.Loss.categoricalCrossEntropy(), sgd,
                                new dev.nnj.api.data.Dataset(new float[] {1, 2, 3, 4, 5, 6}, 3,
                                        new float[] {1, 0, 0, 1}, 2), null);
            }
        }
        assertArrayEquals(Files.readAllBytes(first.resolve("last.safetensors")),
                Files.readAllBytes(second.resolve("last.safetensors")), "checkpoints of the same run");
    }

    /** Feature names travel with the model, one per input; another count is refused when saving. */
    @Test
    void featureNamesAreSavedOnePerInput() throws IOException {
        Sequential m = model(3, 29).add(new Dense(2, Activation.SOFTMAX));
        Path file = dir.resolve("named-features.safetensors");
        ModelFiles.save(m, file, WeightLayout.IN_OUT, Preprocessing.none()
                .withFeatureNames(java.util.List.of("height", "weight", "age")), Map.of());
        assertEquals(java.util.List.of("height", "weight", "age"), load(file).preprocessing().featureNames());
        Path refused = dir.resolve("two-names.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(m, refused,
                WeightLayout.IN_OUT, Preprocessing.none().withFeatureNames(java.util.List.of("a", "b")), Map.of()));
        assertTrue(e.getMessage().contains("2 feature names, the model takes 3 features"), e.getMessage());
        assertTrue(!Files.exists(refused), "nothing written");
    }

    /**
     * Weights that are not finite (a diverged loop of one's own; {@code fit} would have stopped) are not written: a
     * model file or checkpoint of them could not be loaded, and it would replace the good file saved before.
     */
    @Test
    void weightsThatAreNotFiniteAreNotSavedOverAGoodFile() throws IOException {
        Sequential m = everyLayerKind(23);
        Path file = dir.resolve("good.safetensors");
        Path checkpoint = dir.resolve("good-checkpoint.safetensors");
        try (Adam adam = new Adam(0.01f)) {
            ModelFiles.save(m, file);
            Checkpoint.save(checkpoint, m, adam, 1, Preprocessing.none(), Map.of());
            byte[] saved = Files.readAllBytes(file);
            byte[] checkpointed = Files.readAllBytes(checkpoint);
            Parameter p = m.parameters().get(2);
            float[] diverged = p.read();
            diverged[3] = Float.NaN;
            p.value().copyFrom(diverged);
            assertThrowsSaying(IllegalStateException.class, () -> ModelFiles.save(m, file),
                    "save: parameter '" + p.name() + "' holds NaN at index 3", "diverged", "nothing is written");
            assertThrowsSaying(IllegalStateException.class,
                    () -> Checkpoint.save(checkpoint, m, adam, 2, Preprocessing.none(), Map.of()),
                    "Checkpoint.save: parameter '" + p.name() + "' holds NaN at index 3");
            assertArrayEquals(saved, Files.readAllBytes(file), "the good model file is as it was");
            assertArrayEquals(checkpointed, Files.readAllBytes(checkpoint), "the good checkpoint is as it was");
        }
    }

    /** {@code *.onnx} says ONNX to every reader, with nn-onnx on the class path or not: save refuses it. */
    @Test
    void saveRefusesAnOnnxNameItsSafetensorsFileWouldNotLoadFrom() {
        Path onnx = dir.resolve("model.ONNX");
        assertThrowsSaying(IllegalArgumentException.class, () -> ModelFiles.save(everyLayerKind(19), onnx),
                "model.ONNX is a name load reads as onnx", "dev.nnj.onnx.OnnxExporter", "nothing is written");
        assertTrue(!Files.exists(onnx), "nothing written");
    }

    @Test
    void aFolderIsRefusedNamingIt() {
        assertRefused(() -> ModelFiles.load(dir, backend()), dir.toString(), "folder");
    }

    @Test
    void preprocessingThatDoesNotFitTheModelIsRefusedBeforeAnythingIsWritten() {
        Sequential fiveClasses = everyLayerKind(17);
        Sequential oneOutput = model(3, 18).add(new Dense(1, Activation.SIGMOID));
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("three-names.safetensors", new Object[] {fiveClasses,
            Preprocessing.none().withClassNames(List.of("a", "b", "c")), new String[] {"3 classes", "5 outputs"}});
        cases.put("one-name.safetensors", new Object[] {oneOutput,
            Preprocessing.none().withClassNames(List.of("yes")), new String[] {"1 classes", "one output", "2"}});
        cases.put("scaler.safetensors", new Object[] {fiveClasses,
            Preprocessing.none().withScaler(new MinMaxScaler().fit(new float[8], 4)), new String[] {"4 columns", "6"}});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Path file = dir.resolve(c.getKey());
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ModelFiles.save((Sequential) c.getValue()[0], file, WeightLayout.IN_OUT,
                            (Preprocessing) c.getValue()[1], Map.of()), c.getKey());
            for (String part : (String[]) c.getValue()[2]) {
                assertTrue(e.getMessage().contains(part), c.getKey() + ": message should mention '" + part + "': "
                        + e.getMessage());
            }
            assertTrue(!Files.exists(file), c.getKey() + " was written");
        }
    }

    @Test
    void aFileThatDoesNotMatchItsArchitectureIsRefusedNamingTheTensor() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(everyLayerKind(14), file);
        SafeTensors.Contents good = SafeTensors.read(file);

        Path wrongShape = rewrite(good, "wrong-shape.safetensors", "dense_2.bias", new NamedTensor("dense_2.bias",
                new int[] {5}, new float[5]));
        assertRefused(() -> ModelFiles.load(wrongShape, backend()),
                "wrong-shape.safetensors", "dense_2.bias", "[5]", "[6]");

        Path missing = rewrite(good, "missing.safetensors", "dense_4.bias", null);
        assertRefused(() -> ModelFiles.load(missing, backend()),
                "missing.safetensors", "dense_4.bias", "missing");

        Path extra = rewrite(good, "extra.safetensors", "dense_9.weight", new NamedTensor("dense_9.weight",
                new int[] {1}, new float[1]));
        assertRefused(() -> ModelFiles.load(extra, backend()),
                "extra.safetensors", "dense_9.weight", "unexpected");

        Path nan = rewrite(good, "nan.safetensors", "dense_1.bias", new NamedTensor("dense_1.bias", new int[] {7},
                new float[] {0, 0, Float.NaN, 0, 0, 0, 0}));
        assertRefused(() -> ModelFiles.load(nan, backend()),
                "nan.safetensors", "dense_1.bias", "NaN", "index 2");
    }

    @Test
    void aBadArchitectureIsRefusedNamingTheLayerAndField() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(everyLayerKind(15), file);
        SafeTensors.Contents good = SafeTensors.read(file);
        String architecture = good.metadata().get(ModelFiles.ARCHITECTURE_KEY);
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put(architecture.replace("\"tanh\"", "\"swish\""), new String[] {"dense_1",
            "unknown activation 'swish'; known: identity, sigmoid"});
        cases.put(architecture.replace("\"rate\":0.25", "\"rate\":1.5"),
                new String[] {"dropout_1", "rate must be a number in [0.0, 1), got 1.5"});
        cases.put(architecture.replace("\"units\":7", "\"units\":-7"), new String[] {"dense_1", "units"});
        cases.put(architecture.replace("\"name\":\"relu_1\"", "\"name\":\"relu_9\""), new String[] {"relu_9", "relu_1"});
        cases.put(architecture.substring(0, architecture.length() - 1), new String[] {"nnj.architecture", "JSON"});
        // 0 would make a leaky ReLU a ReLU, silently: no default.
        cases.put(architecture.replace("\"name\":\"elu_1\",\"config\":{\"alpha\":0.7}",
                "\"name\":\"elu_1\",\"config\":{}"), new String[] {"elu_1", "needs alpha"});
        cases.put(architecture.replace("\"name\":\"leaky_relu_1\",\"config\":{\"alpha\":0.3}",
                "\"name\":\"leaky_relu_1\",\"config\":{}"), new String[] {"leaky_relu_1", "needs alpha"});
        // The same for a Dense layer's fused leaky ReLU and ELU.
        cases.put(architecture.replaceAll("(\"activation\":\"leaky_relu\"),\"alpha\":[^,}]*", "$1"),
                new String[] {"dense_2", "needs alpha", "slope"});
        cases.put(architecture.replaceAll("(\"activation\":\"elu\"),\"alpha\":[^,}]*", "$1"),
                new String[] {"dense_4", "needs alpha", "scale"});
        cases.put(architecture.replace("\"units\":7,", ""), new String[] {"dense_1", "units is missing"});
        int k = 0;
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            assertTrue(!c.getKey().equals(architecture), "case " + k + " changes the architecture");
            Map<String, String> metadata = new LinkedHashMap<>(good.metadata());
            metadata.put(ModelFiles.ARCHITECTURE_KEY, c.getKey());
            Path bad = dir.resolve("bad-" + k++ + ".safetensors");
            SafeTensors.write(bad, new ArrayList<>(good.tensors().values()), metadata);
            String[] parts = new String[c.getValue().length + 1];
            parts[0] = bad.getFileName().toString();
            System.arraycopy(c.getValue(), 0, parts, 1, c.getValue().length);
            assertRefused(() -> ModelFiles.load(bad, backend()), parts);
        }
    }

    /**
     * A Dense layer whose activation has no alpha (tanh, sigmoid, …) may leave it out of the file, as the activation
     * layers may: a file written by hand or by another program loads, and predicts as the original.
     */
    @Test
    void aDenseLayerMayLeaveOutAnAlphaItsActivationDoesNotUse() throws IOException {
        Sequential original = everyLayerKind(16);
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(original, file);
        SafeTensors.Contents good = SafeTensors.read(file);
        String architecture = good.metadata().get(ModelFiles.ARCHITECTURE_KEY);
        String without = architecture.replaceAll("(\"activation\":\"(tanh|sigmoid)\"),\"alpha\":[^,}]*", "$1");
        assertTrue(!without.equals(architecture) && !without.contains("\"tanh\",\"alpha\""),
                "the tanh and sigmoid layers lost their alpha: " + without);
        Map<String, String> metadata = new LinkedHashMap<>(good.metadata());
        metadata.put(ModelFiles.ARCHITECTURE_KEY, without);
        Path edited = dir.resolve("no-alpha.safetensors");
        SafeTensors.write(edited, new ArrayList<>(good.tensors().values()), metadata);
        float[] x = new float[3 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) * 0.3f - 1f;
        }
        assertArrayEquals(original.predict(x, 3), load(edited).model().predict(x, 3), 0f, "same predictions");
    }

    /** A square weight has the same shape in both layouts: a file that does not say which is refused, not guessed. */
    @Test
    void aFileWithoutItsWeightLayoutIsRefused() throws IOException {
        Path file = dir.resolve("square.safetensors");
        ModelFiles.save(model(4, 3).add(new Dense(4, Activation.TANH)).add(new Dense(4, Activation.SOFTMAX)), file);
        SafeTensors.Contents good = SafeTensors.read(file);
        Map<String, String> metadata = new LinkedHashMap<>(good.metadata());
        metadata.remove(ModelFiles.LAYOUT_KEY);
        Path bad = dir.resolve("no-layout.safetensors");
        SafeTensors.write(bad, new ArrayList<>(good.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(bad, backend()), "no-layout.safetensors", "nnj.weight_layout", "in_out",
                "out_in");
    }

    /** A layout that says the other way round than the file stores its weights: the message points at it. */
    @Test
    void aWeightStoredTransposedToItsLayoutPointsAtTheLayout() throws IOException {
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(model(5, 3).add(new Dense(4, Activation.TANH)).add(new Dense(2, Activation.SOFTMAX)), file);
        SafeTensors.Contents good = SafeTensors.read(file);
        Map<String, String> metadata = new LinkedHashMap<>(good.metadata());
        metadata.put(ModelFiles.LAYOUT_KEY, "out_in");
        Path bad = dir.resolve("flipped.safetensors");
        SafeTensors.write(bad, new ArrayList<>(good.tensors().values()), metadata);
        assertRefused(() -> ModelFiles.load(bad, backend()), "flipped.safetensors",
                "tensor 'dense_1.weight' has shape [5, 4], but the architecture needs [4, 5], its transpose: check "
                        + "that metadata 'nnj.weight_layout' says how the file stores its weights");
    }

    /** Fails unless loading throws a {@link ModelFileException} whose message mentions every part. */
    private static void assertRefused(org.junit.jupiter.api.function.Executable load, String... parts) {
        ModelFileException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFileException.class, load);
        String message = e.getMessage().toLowerCase(java.util.Locale.ROOT);
        for (String part : parts) {
            assertTrue(message.contains(part.toLowerCase(java.util.Locale.ROOT)),
                    "message should mention '" + part + "': " + e.getMessage());
        }
    }

    /** A copy of {@code good} with tensor {@code name} replaced (or removed when {@code replacement} is null). */
    private Path rewrite(SafeTensors.Contents good, String fileName, String name, NamedTensor replacement)
            throws IOException {
        List<NamedTensor> tensors = new ArrayList<>();
        boolean replaced = false;
        for (NamedTensor t : good.tensors().values()) {
            if (t.name().equals(name)) {
                replaced = true;
                if (replacement != null) {
                    tensors.add(replacement);
                }
            } else {
                tensors.add(t);
            }
        }
        if (!replaced && replacement != null) {
            tensors.add(replacement);
        }
        Path file = dir.resolve(fileName);
        SafeTensors.write(file, tensors, good.metadata());
        return file;
    }

    /** A safetensors file's bytes with the header's checksum entry taken out, the header's length written anew. */
    private static byte[] withoutHeaderChecksum(byte[] file) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int length = (int) b.getLong(0);
        String header = new String(file, 8, length, java.nio.charset.StandardCharsets.UTF_8);
        String cut = header.replaceFirst(",\"nnj\\.header_crc32c\":\"[0-9a-f]{8}\"", "");
        if (cut.equals(header)) {
            cut = header.replaceFirst("\"nnj\\.header_crc32c\":\"[0-9a-f]{8}\",?", "");
        }
        byte[] head = cut.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int padded = (head.length + 7) / 8 * 8;   // the data stays 8-byte aligned, as the format asks
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + padded + file.length - 8 - length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(head);
        for (int k = head.length; k < padded; k++) {
            out.put((byte) ' ');
        }
        return out.put(file, 8 + length, file.length - 8 - length).array();
    }
}
