package dev.nnj.cuda.loader;

import java.nio.file.Path;
import java.nio.file.Paths;
import jcuda.jcublas.JCublas2;
import jcuda.libraryPropertyType;

/**
 * Child-JVM entry point for {@link Cublas13LoadTest}: {@code retargeted <libcublas.so.13>} loads cuBLAS 13 and
 * the retargeted JCublas2 through {@link CublasSetup}, initialises the JCublas2 class and asks cuBLAS for its
 * version (no GPU needed); {@code original <libcublas.so.13>} shows that JCuda's unmodified library does not
 * load against cuBLAS 13. Run with {@code LD_BIND_NOW=1} so that glibc binds every imported function at load
 * time: a single one missing from cuBLAS 13 would fail the load.
 */
public final class LoadCublasMain {
    private LoadCublasMain() {
    }

    public static void main(String[] args) throws Exception {
        Path cublas = Paths.get(args[1]);
        NativeCache cache = NativeCache.defaultCache(JCudaNatives.version());
        if (args[0].equals("original")) {
            System.load(cublas.toRealPath().toString());
            try {
                System.load(JCudaNatives.install(cache, JCudaNatives.Library.CUBLAS2).toString());
                System.out.println("ORIGINAL-LOADED");
            } catch (UnsatisfiedLinkError e) {
                System.out.println("ORIGINAL-FAILED " + e.getMessage());
            }
            return;
        }
        CublasSetup.Outcome outcome = CublasSetup.prepare(cache, new CublasLibrary(13, cublas));
        System.out.println("OUTCOME ok=" + outcome.ok() + " " + outcome.reason());
        if (!outcome.ok()) {
            System.exit(3);
        }
        JCublas2.setExceptionsEnabled(true);
        int[] v = new int[3];
        int[] one = new int[1];
        JCublas2.cublasGetProperty(libraryPropertyType.MAJOR_VERSION, one);
        v[0] = one[0];
        JCublas2.cublasGetProperty(libraryPropertyType.MINOR_VERSION, one);
        v[1] = one[0];
        JCublas2.cublasGetProperty(libraryPropertyType.PATCH_LEVEL, one);
        v[2] = one[0];
        System.out.println("CUBLAS-VERSION " + v[0] + "." + v[1] + "." + v[2]);
    }
}
