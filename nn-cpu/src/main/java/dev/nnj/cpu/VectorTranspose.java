package dev.nnj.cpu;

import static dev.nnj.cpu.VectorGemm.EXACT;
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
 *
 * <p>A 16 x 16 transpose is 160 Vector API operations, far past the node count up to which C2 inlines at parse
 * time, so most of them are inlined late, where C2 knows a vector's class only if the code says it: every row
 * is cast to its exact class ({@link VectorGemm#EXACT}), and every operation is called on such a row (row
 * {@code i + b} is {@code row_{i+b}.blend(row_i.rearrange(SWAP), LOW)}, not
 * {@code row_i.rearrange(SWAP).blend(row_{i+b}, HIGH)}: the same lanes), so that no operation depends on a type
 * profile ({@code KernelInliningTest}).
 */
final class VectorTranspose {

    private static final boolean WIDE = L == 16;

    /** Lane {@code l} takes lane {@code l ^ 8}. */
    private static final VectorShuffle<Float> SWAP8 = WIDE ? VectorShuffle.fromOp(S, l -> l ^ 8) : null;
    /** The lanes with bit 8 set. */
    private static final VectorMask<Float> HIGH8 = WIDE ? VectorMask.fromLong(S, 0xFF00L) : null;
    /** The lanes with bit 8 clear. */
    private static final VectorMask<Float> LOW8 = WIDE ? HIGH8.not() : null;

    /** Lane {@code l} takes lane {@code l ^ 4}. */
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(S, l -> l ^ 4);
    /** The lanes with bit 4 set. */
    private static final VectorMask<Float> HIGH4 = VectorMask.fromLong(S, WIDE ? 0xF0F0L : 0xF0L);
    /** The lanes with bit 4 clear. */
    private static final VectorMask<Float> LOW4 = HIGH4.not();

    /** Lane {@code l} takes lane {@code l ^ 2}. */
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(S, l -> l ^ 2);
    /** The lanes with bit 2 set. */
    private static final VectorMask<Float> HIGH2 = VectorMask.fromLong(S, WIDE ? 0xCCCCL : 0xCCL);
    /** The lanes with bit 2 clear. */
    private static final VectorMask<Float> LOW2 = HIGH2.not();

    /** Lane {@code l} takes lane {@code l ^ 1}. */
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(S, l -> l ^ 1);
    /** The lanes with bit 1 set. */
    private static final VectorMask<Float> HIGH1 = VectorMask.fromLong(S, WIDE ? 0xAAAAL : 0xAAL);
    /** The lanes with bit 1 clear. */
    private static final VectorMask<Float> LOW1 = HIGH1.not();

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
        FloatVector v0 = EXACT.cast(FloatVector.fromArray(S, src, s));
        FloatVector v1 = EXACT.cast(FloatVector.fromArray(S, src, s + lds));
        FloatVector v2 = EXACT.cast(FloatVector.fromArray(S, src, s + 2 * lds));
        FloatVector v3 = EXACT.cast(FloatVector.fromArray(S, src, s + 3 * lds));
        FloatVector v4 = EXACT.cast(FloatVector.fromArray(S, src, s + 4 * lds));
        FloatVector v5 = EXACT.cast(FloatVector.fromArray(S, src, s + 5 * lds));
        FloatVector v6 = EXACT.cast(FloatVector.fromArray(S, src, s + 6 * lds));
        FloatVector v7 = EXACT.cast(FloatVector.fromArray(S, src, s + 7 * lds));
        FloatVector v8 = EXACT.cast(FloatVector.fromArray(S, src, s + 8 * lds));
        FloatVector v9 = EXACT.cast(FloatVector.fromArray(S, src, s + 9 * lds));
        FloatVector v10 = EXACT.cast(FloatVector.fromArray(S, src, s + 10 * lds));
        FloatVector v11 = EXACT.cast(FloatVector.fromArray(S, src, s + 11 * lds));
        FloatVector v12 = EXACT.cast(FloatVector.fromArray(S, src, s + 12 * lds));
        FloatVector v13 = EXACT.cast(FloatVector.fromArray(S, src, s + 13 * lds));
        FloatVector v14 = EXACT.cast(FloatVector.fromArray(S, src, s + 14 * lds));
        FloatVector v15 = EXACT.cast(FloatVector.fromArray(S, src, s + 15 * lds));
        FloatVector s0_0 = EXACT.cast(v0.blend(v8.rearrange(SWAP8), HIGH8));
        FloatVector s0_8 = EXACT.cast(v8.blend(v0.rearrange(SWAP8), LOW8));
        FloatVector s0_1 = EXACT.cast(v1.blend(v9.rearrange(SWAP8), HIGH8));
        FloatVector s0_9 = EXACT.cast(v9.blend(v1.rearrange(SWAP8), LOW8));
        FloatVector s0_2 = EXACT.cast(v2.blend(v10.rearrange(SWAP8), HIGH8));
        FloatVector s0_10 = EXACT.cast(v10.blend(v2.rearrange(SWAP8), LOW8));
        FloatVector s0_3 = EXACT.cast(v3.blend(v11.rearrange(SWAP8), HIGH8));
        FloatVector s0_11 = EXACT.cast(v11.blend(v3.rearrange(SWAP8), LOW8));
        FloatVector s0_4 = EXACT.cast(v4.blend(v12.rearrange(SWAP8), HIGH8));
        FloatVector s0_12 = EXACT.cast(v12.blend(v4.rearrange(SWAP8), LOW8));
        FloatVector s0_5 = EXACT.cast(v5.blend(v13.rearrange(SWAP8), HIGH8));
        FloatVector s0_13 = EXACT.cast(v13.blend(v5.rearrange(SWAP8), LOW8));
        FloatVector s0_6 = EXACT.cast(v6.blend(v14.rearrange(SWAP8), HIGH8));
        FloatVector s0_14 = EXACT.cast(v14.blend(v6.rearrange(SWAP8), LOW8));
        FloatVector s0_7 = EXACT.cast(v7.blend(v15.rearrange(SWAP8), HIGH8));
        FloatVector s0_15 = EXACT.cast(v15.blend(v7.rearrange(SWAP8), LOW8));
        FloatVector s1_0 = EXACT.cast(s0_0.blend(s0_4.rearrange(SWAP4), HIGH4));
        FloatVector s1_4 = EXACT.cast(s0_4.blend(s0_0.rearrange(SWAP4), LOW4));
        FloatVector s1_1 = EXACT.cast(s0_1.blend(s0_5.rearrange(SWAP4), HIGH4));
        FloatVector s1_5 = EXACT.cast(s0_5.blend(s0_1.rearrange(SWAP4), LOW4));
        FloatVector s1_2 = EXACT.cast(s0_2.blend(s0_6.rearrange(SWAP4), HIGH4));
        FloatVector s1_6 = EXACT.cast(s0_6.blend(s0_2.rearrange(SWAP4), LOW4));
        FloatVector s1_3 = EXACT.cast(s0_3.blend(s0_7.rearrange(SWAP4), HIGH4));
        FloatVector s1_7 = EXACT.cast(s0_7.blend(s0_3.rearrange(SWAP4), LOW4));
        FloatVector s1_8 = EXACT.cast(s0_8.blend(s0_12.rearrange(SWAP4), HIGH4));
        FloatVector s1_12 = EXACT.cast(s0_12.blend(s0_8.rearrange(SWAP4), LOW4));
        FloatVector s1_9 = EXACT.cast(s0_9.blend(s0_13.rearrange(SWAP4), HIGH4));
        FloatVector s1_13 = EXACT.cast(s0_13.blend(s0_9.rearrange(SWAP4), LOW4));
        FloatVector s1_10 = EXACT.cast(s0_10.blend(s0_14.rearrange(SWAP4), HIGH4));
        FloatVector s1_14 = EXACT.cast(s0_14.blend(s0_10.rearrange(SWAP4), LOW4));
        FloatVector s1_11 = EXACT.cast(s0_11.blend(s0_15.rearrange(SWAP4), HIGH4));
        FloatVector s1_15 = EXACT.cast(s0_15.blend(s0_11.rearrange(SWAP4), LOW4));
        FloatVector s2_0 = EXACT.cast(s1_0.blend(s1_2.rearrange(SWAP2), HIGH2));
        FloatVector s2_2 = EXACT.cast(s1_2.blend(s1_0.rearrange(SWAP2), LOW2));
        FloatVector s2_1 = EXACT.cast(s1_1.blend(s1_3.rearrange(SWAP2), HIGH2));
        FloatVector s2_3 = EXACT.cast(s1_3.blend(s1_1.rearrange(SWAP2), LOW2));
        FloatVector s2_4 = EXACT.cast(s1_4.blend(s1_6.rearrange(SWAP2), HIGH2));
        FloatVector s2_6 = EXACT.cast(s1_6.blend(s1_4.rearrange(SWAP2), LOW2));
        FloatVector s2_5 = EXACT.cast(s1_5.blend(s1_7.rearrange(SWAP2), HIGH2));
        FloatVector s2_7 = EXACT.cast(s1_7.blend(s1_5.rearrange(SWAP2), LOW2));
        FloatVector s2_8 = EXACT.cast(s1_8.blend(s1_10.rearrange(SWAP2), HIGH2));
        FloatVector s2_10 = EXACT.cast(s1_10.blend(s1_8.rearrange(SWAP2), LOW2));
        FloatVector s2_9 = EXACT.cast(s1_9.blend(s1_11.rearrange(SWAP2), HIGH2));
        FloatVector s2_11 = EXACT.cast(s1_11.blend(s1_9.rearrange(SWAP2), LOW2));
        FloatVector s2_12 = EXACT.cast(s1_12.blend(s1_14.rearrange(SWAP2), HIGH2));
        FloatVector s2_14 = EXACT.cast(s1_14.blend(s1_12.rearrange(SWAP2), LOW2));
        FloatVector s2_13 = EXACT.cast(s1_13.blend(s1_15.rearrange(SWAP2), HIGH2));
        FloatVector s2_15 = EXACT.cast(s1_15.blend(s1_13.rearrange(SWAP2), LOW2));
        FloatVector s3_0 = EXACT.cast(s2_0.blend(s2_1.rearrange(SWAP1), HIGH1));
        FloatVector s3_1 = EXACT.cast(s2_1.blend(s2_0.rearrange(SWAP1), LOW1));
        FloatVector s3_2 = EXACT.cast(s2_2.blend(s2_3.rearrange(SWAP1), HIGH1));
        FloatVector s3_3 = EXACT.cast(s2_3.blend(s2_2.rearrange(SWAP1), LOW1));
        FloatVector s3_4 = EXACT.cast(s2_4.blend(s2_5.rearrange(SWAP1), HIGH1));
        FloatVector s3_5 = EXACT.cast(s2_5.blend(s2_4.rearrange(SWAP1), LOW1));
        FloatVector s3_6 = EXACT.cast(s2_6.blend(s2_7.rearrange(SWAP1), HIGH1));
        FloatVector s3_7 = EXACT.cast(s2_7.blend(s2_6.rearrange(SWAP1), LOW1));
        FloatVector s3_8 = EXACT.cast(s2_8.blend(s2_9.rearrange(SWAP1), HIGH1));
        FloatVector s3_9 = EXACT.cast(s2_9.blend(s2_8.rearrange(SWAP1), LOW1));
        FloatVector s3_10 = EXACT.cast(s2_10.blend(s2_11.rearrange(SWAP1), HIGH1));
        FloatVector s3_11 = EXACT.cast(s2_11.blend(s2_10.rearrange(SWAP1), LOW1));
        FloatVector s3_12 = EXACT.cast(s2_12.blend(s2_13.rearrange(SWAP1), HIGH1));
        FloatVector s3_13 = EXACT.cast(s2_13.blend(s2_12.rearrange(SWAP1), LOW1));
        FloatVector s3_14 = EXACT.cast(s2_14.blend(s2_15.rearrange(SWAP1), HIGH1));
        FloatVector s3_15 = EXACT.cast(s2_15.blend(s2_14.rearrange(SWAP1), LOW1));
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
        FloatVector v0 = EXACT.cast(FloatVector.fromArray(S, src, s));
        FloatVector v1 = EXACT.cast(FloatVector.fromArray(S, src, s + lds));
        FloatVector v2 = EXACT.cast(FloatVector.fromArray(S, src, s + 2 * lds));
        FloatVector v3 = EXACT.cast(FloatVector.fromArray(S, src, s + 3 * lds));
        FloatVector v4 = EXACT.cast(FloatVector.fromArray(S, src, s + 4 * lds));
        FloatVector v5 = EXACT.cast(FloatVector.fromArray(S, src, s + 5 * lds));
        FloatVector v6 = EXACT.cast(FloatVector.fromArray(S, src, s + 6 * lds));
        FloatVector v7 = EXACT.cast(FloatVector.fromArray(S, src, s + 7 * lds));
        FloatVector s0_0 = EXACT.cast(v0.blend(v4.rearrange(SWAP4), HIGH4));
        FloatVector s0_4 = EXACT.cast(v4.blend(v0.rearrange(SWAP4), LOW4));
        FloatVector s0_1 = EXACT.cast(v1.blend(v5.rearrange(SWAP4), HIGH4));
        FloatVector s0_5 = EXACT.cast(v5.blend(v1.rearrange(SWAP4), LOW4));
        FloatVector s0_2 = EXACT.cast(v2.blend(v6.rearrange(SWAP4), HIGH4));
        FloatVector s0_6 = EXACT.cast(v6.blend(v2.rearrange(SWAP4), LOW4));
        FloatVector s0_3 = EXACT.cast(v3.blend(v7.rearrange(SWAP4), HIGH4));
        FloatVector s0_7 = EXACT.cast(v7.blend(v3.rearrange(SWAP4), LOW4));
        FloatVector s1_0 = EXACT.cast(s0_0.blend(s0_2.rearrange(SWAP2), HIGH2));
        FloatVector s1_2 = EXACT.cast(s0_2.blend(s0_0.rearrange(SWAP2), LOW2));
        FloatVector s1_1 = EXACT.cast(s0_1.blend(s0_3.rearrange(SWAP2), HIGH2));
        FloatVector s1_3 = EXACT.cast(s0_3.blend(s0_1.rearrange(SWAP2), LOW2));
        FloatVector s1_4 = EXACT.cast(s0_4.blend(s0_6.rearrange(SWAP2), HIGH2));
        FloatVector s1_6 = EXACT.cast(s0_6.blend(s0_4.rearrange(SWAP2), LOW2));
        FloatVector s1_5 = EXACT.cast(s0_5.blend(s0_7.rearrange(SWAP2), HIGH2));
        FloatVector s1_7 = EXACT.cast(s0_7.blend(s0_5.rearrange(SWAP2), LOW2));
        FloatVector s2_0 = EXACT.cast(s1_0.blend(s1_1.rearrange(SWAP1), HIGH1));
        FloatVector s2_1 = EXACT.cast(s1_1.blend(s1_0.rearrange(SWAP1), LOW1));
        FloatVector s2_2 = EXACT.cast(s1_2.blend(s1_3.rearrange(SWAP1), HIGH1));
        FloatVector s2_3 = EXACT.cast(s1_3.blend(s1_2.rearrange(SWAP1), LOW1));
        FloatVector s2_4 = EXACT.cast(s1_4.blend(s1_5.rearrange(SWAP1), HIGH1));
        FloatVector s2_5 = EXACT.cast(s1_5.blend(s1_4.rearrange(SWAP1), LOW1));
        FloatVector s2_6 = EXACT.cast(s1_6.blend(s1_7.rearrange(SWAP1), HIGH1));
        FloatVector s2_7 = EXACT.cast(s1_7.blend(s1_6.rearrange(SWAP1), LOW1));
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
