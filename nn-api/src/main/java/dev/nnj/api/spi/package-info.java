/**
 * For backend authors: {@link dev.nnj.api.spi.AbstractBackend} validates every op's arguments once and calls
 * the backend's protected hooks, so checks and messages are identical on every backend;
 * {@link dev.nnj.api.spi.AbstractTensor} keeps a tensor's shape and closed state;
 * {@link dev.nnj.api.BackendProvider} and {@link dev.nnj.api.Availability} are what
 * {@link java.util.ServiceLoader} finds and what a provider's probe answers; {@link dev.nnj.api.spi.Checks}
 * builds the argument messages; {@link dev.nnj.api.spi.DropoutRng} is the counter-based generator every
 * backend draws dropout masks from. {@code docs/backends.md} walks through writing a backend.
 */
package dev.nnj.api.spi;
