/**
 * Data utilities for training: an in-memory {@link dev.nnj.api.data.Dataset}, scikit-learn-like
 * preprocessing ({@link dev.nnj.api.data.MinMaxScaler}, {@link dev.nnj.api.data.StandardScaler},
 * {@link dev.nnj.api.data.OneHotEncoder}), seeded splits ({@link dev.nnj.api.data.TrainTestSplit},
 * {@link dev.nnj.api.data.IndexSplit}) and a {@link dev.nnj.api.data.CsvReader} of numbers, text labels and
 * text categories (read one-hot, {@link dev.nnj.api.data.CsvReader#withCategoricalColumns}). Only the JDK and
 * slf4j are needed.
 */
package dev.nnj.api.data;
