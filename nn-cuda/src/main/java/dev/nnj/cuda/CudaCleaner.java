package dev.nnj.cuda;

import java.lang.ref.Cleaner;

/**
 * The one cleaner of nn-cuda, whose daemon thread starts with the first tensor or backend that registers: it hands an
 * unclosed tensor's block back to its backend's cache, and releases an unclosed backend's device resources. The
 * thread is the JDK's own ("Cleaner-N"): one made here would keep the context class loader and, before JDK 24, the
 * access-control context of the code that first registered, and so a redeployed application's class loader for the
 * life of the JVM (as the cpu backend's pools' cleaner did).
 */
final class CudaCleaner {
    static final Cleaner CLEANER = Cleaner.create();

    private CudaCleaner() {
    }
}
