package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.L;
import static dev.nnj.cpu.VectorGemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Transposes square blocks of {@code L x L} floats in vector registers, so that packing a transposed B
 * for {@link VectorGemm} costs a few vector operations per element instead of a scalar load and store
 * with a stride of a whole sliver.
 *
 * <p>The classic recursive scheme: stage {@code b} (for {@code b = L/2, ..., 2, 1}) pairs rows {@code i}
 * and {@code i + b} (with bit {@code b} of {@code i} clear) and swaps their off-diagonal {@code b x b}
 * sub-blocks: row {@code i} takes the lanes {@code l} with bit {@code b} set from row {@code i + b}, lane
 * {@code l - b}; row {@code i + b} takes the lanes with bit {@code b} clear from row {@code i}, lane
 * {@code l + b}. Both are one lane permutation ({@code l -> l ^ b}) and one blend. Unrolled by a small
 * generator, every row being its own local variable so that the JIT keeps them all in registers.
 */
final class VectorTranspose {

    private static final boolean WIDE = L == 16;

    /** Lane {@code l} takes lane {@code l ^ 8}. */
    private static final VectorShuffle<Float> SWAP8 = WIDE ? VectorShuffle.fromOp(S, l -> l ^ 8) : null;
    /** The lanes with bit 8 set. */
    private static final VectorMask<Float> HIGH8 = WIDE ? VectorMask.fromLong(S, 0xFF00L) : null;

    /** Lane {@code l} takes lane {@code l ^ 4}. */
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S, l -> l ^ 4);
    /** The lanes with bit 4 set. */
    private static final VectorMask<Float> HIGH4 = VectorMask.fromLong(S, WIDE ? 0xF0F0L : 0xF0L);

    /** Lane {@code l} takes lane {@code l ^ 2}. */
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, l -> l ^ 2);
    /** The lanes with bit 2 set. */
    private static final VectorMask<Float> HIGH2 = VectorMask.fromLong(S, WIDE ? 0xCCCCL : 0xCCL);

    /** Lane {@code l} takes lane {@code l ^ 1}. */
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, l -> l ^ 1);
    /** The lanes with bit 1 set. */
    private static final VectorMask<Float> HIGH1 = VectorMask.fromLong(S, WIDE ? 0xAAAAL : 0xAAL);

    private VectorTranspose() {
    }

    /**
     * Transposes the {@code L x L} block whose row {@code i} is {@code src[s + i * lds .. + L)} into rows
     * {@code dst[d + i * ldd .. + L)}.
     */
    static void transpose(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        if (WIDE) {
            transpose16(src, s, lds, dst, d, ldd);
        } else {
            transpose8(src, s, lds, dst, d, ldd);
        }
    }

    /**
     * Transposes the 16 x 16 block whose row {@code i} is {@code src[s + i * lds ..]} into
     * {@code dst[d + i * ldd ..]}: 16 loads, 4 stages of lane swaps, 16 stores.
     */
    private static void transpose16(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, src, s);
        FloatVector v1 = FloatVector.fromArray(S, src, s + lds);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * lds);
        FloatVector v3 = FloatVector.fromArray(S, src, s + 3 * lds);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * lds);
        FloatVector v5 = FloatVector.fromArray(S, src, s + 5 * lds);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * lds);
        FloatVector v7 = FloatVector.fromArray(S, src, s + 7 * lds);
        FloatVector v8 = FloatVector.fromArray(S, src, s + 8 * lds);
        FloatVector v9 = FloatVector.fromArray(S, src, s + 9 * lds);
        FloatVector v10 = FloatVector.fromArray(S, src, s + 10 * lds);
        FloatVector v11 = FloatVector.fromArray(S, src, s + 11 * lds);
        FloatVector v12 = FloatVector.fromArray(S, src, s + 12 * lds);
        FloatVector v13 = FloatVector.fromArray(S, src, s + 13 * lds);
        FloatVector v14 = FloatVector.fromArray(S, src, s + 14 * lds);
        FloatVector v15 = FloatVector.fromArray(S, src, s + 15 * lds);
        FloatVector s0_0 = v0.blend(v8.rearrange(SWAP8), HIGH8);
        FloatVector s0_8 = v0.rearrange(SWAP8).blend(v8, HIGH8);
        FloatVector s0_1 = v1.blend(v9.rearrange(SWAP8), HIGH8);
        FloatVector s0_9 = v1.rearrange(SWAP8).blend(v9, HIGH8);
        FloatVector s0_2 = v2.blend(v10.rearrange(SWAP8), HIGH8);
        FloatVector s0_10 = v2.rearrange(SWAP8).blend(v10, HIGH8);
        FloatVector s0_3 = v3.blend(v11.rearrange(SWAP8), HIGH8);
        FloatVector s0_11 = v3.rearrange(SWAP8).blend(v11, HIGH8);
        FloatVector s0_4 = v4.blend(v12.rearrange(SWAP8), HIGH8);
        FloatVector s0_12 = v4.rearrange(SWAP8).blend(v12, HIGH8);
        FloatVector s0_5 = v5.blend(v13.rearrange(SWAP8), HIGH8);
        FloatVector s0_13 = v5.rearrange(SWAP8).blend(v13, HIGH8);
        FloatVector s0_6 = v6.blend(v14.rearrange(SWAP8), HIGH8);
        FloatVector s0_14 = v6.rearrange(SWAP8).blend(v14, HIGH8);
        FloatVector s0_7 = v7.blend(v15.rearrange(SWAP8), HIGH8);
        FloatVector s0_15 = v7.rearrange(SWAP8).blend(v15, HIGH8);
        FloatVector s1_0 = s0_0.blend(s0_4.rearrange(SWAP4), HIGH4);
        FloatVector s1_4 = s0_0.rearrange(SWAP4).blend(s0_4, HIGH4);
        FloatVector s1_1 = s0_1.blend(s0_5.rearrange(SWAP4), HIGH4);
        FloatVector s1_5 = s0_1.rearrange(SWAP4).blend(s0_5, HIGH4);
        FloatVector s1_2 = s0_2.blend(s0_6.rearrange(SWAP4), HIGH4);
        FloatVector s1_6 = s0_2.rearrange(SWAP4).blend(s0_6, HIGH4);
        FloatVector s1_3 = s0_3.blend(s0_7.rearrange(SWAP4), HIGH4);
        FloatVector s1_7 = s0_3.rearrange(SWAP4).blend(s0_7, HIGH4);
        FloatVector s1_8 = s0_8.blend(s0_12.rearrange(SWAP4), HIGH4);
        FloatVector s1_12 = s0_8.rearrange(SWAP4).blend(s0_12, HIGH4);
        FloatVector s1_9 = s0_9.blend(s0_13.rearrange(SWAP4), HIGH4);
        FloatVector s1_13 = s0_9.rearrange(SWAP4).blend(s0_13, HIGH4);
        FloatVector s1_10 = s0_10.blend(s0_14.rearrange(SWAP4), HIGH4);
        FloatVector s1_14 = s0_10.rearrange(SWAP4).blend(s0_14, HIGH4);
        FloatVector s1_11 = s0_11.blend(s0_15.rearrange(SWAP4), HIGH4);
        FloatVector s1_15 = s0_11.rearrange(SWAP4).blend(s0_15, HIGH4);
        FloatVector s2_0 = s1_0.blend(s1_2.rearrange(SWAP2), HIGH2);
        FloatVector s2_2 = s1_0.rearrange(SWAP2).blend(s1_2, HIGH2);
        FloatVector s2_1 = s1_1.blend(s1_3.rearrange(SWAP2), HIGH2);
        FloatVector s2_3 = s1_1.rearrange(SWAP2).blend(s1_3, HIGH2);
        FloatVector s2_4 = s1_4.blend(s1_6.rearrange(SWAP2), HIGH2);
        FloatVector s2_6 = s1_4.rearrange(SWAP2).blend(s1_6, HIGH2);
        FloatVector s2_5 = s1_5.blend(s1_7.rearrange(SWAP2), HIGH2);
        FloatVector s2_7 = s1_5.rearrange(SWAP2).blend(s1_7, HIGH2);
        FloatVector s2_8 = s1_8.blend(s1_10.rearrange(SWAP2), HIGH2);
        FloatVector s2_10 = s1_8.rearrange(SWAP2).blend(s1_10, HIGH2);
        FloatVector s2_9 = s1_9.blend(s1_11.rearrange(SWAP2), HIGH2);
        FloatVector s2_11 = s1_9.rearrange(SWAP2).blend(s1_11, HIGH2);
        FloatVector s2_12 = s1_12.blend(s1_14.rearrange(SWAP2), HIGH2);
        FloatVector s2_14 = s1_12.rearrange(SWAP2).blend(s1_14, HIGH2);
        FloatVector s2_13 = s1_13.blend(s1_15.rearrange(SWAP2), HIGH2);
        FloatVector s2_15 = s1_13.rearrange(SWAP2).blend(s1_15, HIGH2);
        FloatVector s3_0 = s2_0.blend(s2_1.rearrange(SWAP1), HIGH1);
        FloatVector s3_1 = s2_0.rearrange(SWAP1).blend(s2_1, HIGH1);
        FloatVector s3_2 = s2_2.blend(s2_3.rearrange(SWAP1), HIGH1);
        FloatVector s3_3 = s2_2.rearrange(SWAP1).blend(s2_3, HIGH1);
        FloatVector s3_4 = s2_4.blend(s2_5.rearrange(SWAP1), HIGH1);
        FloatVector s3_5 = s2_4.rearrange(SWAP1).blend(s2_5, HIGH1);
        FloatVector s3_6 = s2_6.blend(s2_7.rearrange(SWAP1), HIGH1);
        FloatVector s3_7 = s2_6.rearrange(SWAP1).blend(s2_7, HIGH1);
        FloatVector s3_8 = s2_8.blend(s2_9.rearrange(SWAP1), HIGH1);
        FloatVector s3_9 = s2_8.rearrange(SWAP1).blend(s2_9, HIGH1);
        FloatVector s3_10 = s2_10.blend(s2_11.rearrange(SWAP1), HIGH1);
        FloatVector s3_11 = s2_10.rearrange(SWAP1).blend(s2_11, HIGH1);
        FloatVector s3_12 = s2_12.blend(s2_13.rearrange(SWAP1), HIGH1);
        FloatVector s3_13 = s2_12.rearrange(SWAP1).blend(s2_13, HIGH1);
        FloatVector s3_14 = s2_14.blend(s2_15.rearrange(SWAP1), HIGH1);
        FloatVector s3_15 = s2_14.rearrange(SWAP1).blend(s2_15, HIGH1);
        s3_0.intoArray(dst, d);
        s3_1.intoArray(dst, d + ldd);
        s3_2.intoArray(dst, d + 2 * ldd);
        s3_3.intoArray(dst, d + 3 * ldd);
        s3_4.intoArray(dst, d + 4 * ldd);
        s3_5.intoArray(dst, d + 5 * ldd);
        s3_6.intoArray(dst, d + 6 * ldd);
        s3_7.intoArray(dst, d + 7 * ldd);
        s3_8.intoArray(dst, d + 8 * ldd);
        s3_9.intoArray(dst, d + 9 * ldd);
        s3_10.intoArray(dst, d + 10 * ldd);
        s3_11.intoArray(dst, d + 11 * ldd);
        s3_12.intoArray(dst, d + 12 * ldd);
        s3_13.intoArray(dst, d + 13 * ldd);
        s3_14.intoArray(dst, d + 14 * ldd);
        s3_15.intoArray(dst, d + 15 * ldd);
    }
    /**
     * Transposes the 8 x 8 block whose row {@code i} is {@code src[s + i * lds ..]} into
     * {@code dst[d + i * ldd ..]}: 8 loads, 3 stages of lane swaps, 8 stores.
     */
    private static void transpose8(float[] src, int s, int lds, float[] dst, int d, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, src, s);
        FloatVector v1 = FloatVector.fromArray(S, src, s + lds);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * lds);
        FloatVector v3 = FloatVector.fromArray(S, src, s + 3 * lds);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * lds);
        FloatVector v5 = FloatVector.fromArray(S, src, s + 5 * lds);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * lds);
        FloatVector v7 = FloatVector.fromArray(S, src, s + 7 * lds);
        FloatVector s0_0 = v0.blend(v4.rearrange(SWAP4), HIGH4);
        FloatVector s0_4 = v0.rearrange(SWAP4).blend(v4, HIGH4);
        FloatVector s0_1 = v1.blend(v5.rearrange(SWAP4), HIGH4);
        FloatVector s0_5 = v1.rearrange(SWAP4).blend(v5, HIGH4);
        FloatVector s0_2 = v2.blend(v6.rearrange(SWAP4), HIGH4);
        FloatVector s0_6 = v2.rearrange(SWAP4).blend(v6, HIGH4);
        FloatVector s0_3 = v3.blend(v7.rearrange(SWAP4), HIGH4);
        FloatVector s0_7 = v3.rearrange(SWAP4).blend(v7, HIGH4);
        FloatVector s1_0 = s0_0.blend(s0_2.rearrange(SWAP2), HIGH2);
        FloatVector s1_2 = s0_0.rearrange(SWAP2).blend(s0_2, HIGH2);
        FloatVector s1_1 = s0_1.blend(s0_3.rearrange(SWAP2), HIGH2);
        FloatVector s1_3 = s0_1.rearrange(SWAP2).blend(s0_3, HIGH2);
        FloatVector s1_4 = s0_4.blend(s0_6.rearrange(SWAP2), HIGH2);
        FloatVector s1_6 = s0_4.rearrange(SWAP2).blend(s0_6, HIGH2);
        FloatVector s1_5 = s0_5.blend(s0_7.rearrange(SWAP2), HIGH2);
        FloatVector s1_7 = s0_5.rearrange(SWAP2).blend(s0_7, HIGH2);
        FloatVector s2_0 = s1_0.blend(s1_1.rearrange(SWAP1), HIGH1);
        FloatVector s2_1 = s1_0.rearrange(SWAP1).blend(s1_1, HIGH1);
        FloatVector s2_2 = s1_2.blend(s1_3.rearrange(SWAP1), HIGH1);
        FloatVector s2_3 = s1_2.rearrange(SWAP1).blend(s1_3, HIGH1);
        FloatVector s2_4 = s1_4.blend(s1_5.rearrange(SWAP1), HIGH1);
        FloatVector s2_5 = s1_4.rearrange(SWAP1).blend(s1_5, HIGH1);
        FloatVector s2_6 = s1_6.blend(s1_7.rearrange(SWAP1), HIGH1);
        FloatVector s2_7 = s1_6.rearrange(SWAP1).blend(s1_7, HIGH1);
        s2_0.intoArray(dst, d);
        s2_1.intoArray(dst, d + ldd);
        s2_2.intoArray(dst, d + 2 * ldd);
        s2_3.intoArray(dst, d + 3 * ldd);
        s2_4.intoArray(dst, d + 4 * ldd);
        s2_5.intoArray(dst, d + 5 * ldd);
        s2_6.intoArray(dst, d + 6 * ldd);
        s2_7.intoArray(dst, d + 7 * ldd);
    }
}
