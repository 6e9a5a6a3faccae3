package dev.nnj.cuda;

import java.lang.ref.Cleaner;

/**
 * The one daemon cleaner thread of nn-cuda, started with the first tensor or backend that registers: it hands an
 * unclosed tensor's block back to its backend's cache, and releases an unclosed backend's device resources.
 */
final class CudaCleaner {
    static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "nnj-cleaner-cuda");   // named, so that a thread dump says whose it is
        t.setDaemon(true);
        return t;
    });

    private CudaCleaner() {
    }
}
