package dev.nnj.cpu;

import java.util.Random;

/** Seeded test operands for the cpu backend's tests. */
final class TestArrays {
    private TestArrays() {
    }

    /**
     * Standard normal values.
     *
     * @param rnd  the seeded source
     * @param size how many
     * @return {@code size} draws of {@link Random#nextGaussian()}, as floats
     */
    static float[] gaussian(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /**
     * Values uniform in {@code [-1, 1)}.
     *
     * @param rnd  the seeded source
     * @param size how many
     * @return {@code size} values {@code 2u - 1}, {@code u} from {@link Random#nextFloat()}
     */
    static float[] uniform(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextFloat() * 2f - 1f;
        }
        return x;
    }
}
