/**
 * Model files: a trained {@link dev.nnj.api.model.Sequential} with the preprocessing it was trained with, in the
 * safetensors format (an 8-byte header length, a JSON header naming each tensor's type, shape and byte range, then
 * the raw little-endian data), so that PyTorch, the {@code safetensors} package or any reader of that format opens
 * it.
 * <ul>
 *   <li>{@link dev.nnj.api.io.ModelFiles}: {@code save(model, file, layout, preprocessing, metadata)} and
 *       {@code load(file, backend)}, which returns a {@link dev.nnj.api.io.SavedModel} whose
 *       {@code predict(rawFeatures, rows)} applies the saved {@link dev.nnj.api.io.Preprocessing} (a fitted
 *       scaler, class names) before the model, and whose {@code csvReader()} reads a file of rows as the training
 *       file was read (its categories one-hot encoded, its columns matched by name). {@code save(model, file)}
 *       stores no preprocessing: use it only for a model trained on features as they come.</li>
 *   <li>{@link dev.nnj.api.io.ModelSlot}: the model a service predicts with, swapped for a new one while requests
 *       run, none of them failing.</li>
 *   <li>{@link dev.nnj.api.io.Checkpoint}: the model and its optimizer's state, to continue training exactly where
 *       it stopped; {@link dev.nnj.api.train.ModelCheckpoint} writes them during training.</li>
 *   <li>{@link dev.nnj.api.io.WeightLayout}: Dense weights as nnj keeps them, {@code (in, out)}, or as
 *       {@code torch.nn.Linear} does, {@code (out, in)}.</li>
 *   <li>{@link dev.nnj.api.io.SafeTensors}: the format itself, read strictly (header length, JSON, byte ranges,
 *       finite values), for files written by other programs.</li>
 * </ul>
 * Files are written atomically ({@link dev.nnj.api.io.AtomicFile}): a crash leaves the old file or the new one,
 * never a part. Every refusal is a {@link dev.nnj.api.io.ModelFileException} naming the file and the tensor or
 * metadata key. The layout of the metadata and how to move models to and from PyTorch and ONNX:
 * {@code docs/models.md}.
 */
package dev.nnj.api.io;
