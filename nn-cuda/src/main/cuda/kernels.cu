// nnj CUDA kernels: every op of dev.nnj.api.Backend that is not a matrix product (those go to cuBLAS).
//
// The PTX committed as src/main/resources/dev/nnj/cuda/kernels.ptx is generated from this file by
// scripts/generate-ptx.sh (nvcc -ptx -arch=compute_75 -fmad=false, .version lowered so that CUDA 12.0+
// drivers can JIT it). Edit here, then run the script; a test checks that the PTX header records this file's
// SHA-256 and that every kernel the Java code launches is in the PTX.
//
// Numerics follow nn-cpu's ReferenceKernels, so that CPU and GPU agree as closely as float arithmetic allows
// (one exception: the CPU computes the sigmoid in double, these kernels in float, a few ulp apart):
//   * -fmad=false: no a*b+c contraction, the same rounding as Java's separate multiply and add;
//   * IEEE division and square root (nvcc's defaults without --use_fast_math), as Java's float ops;
//   * sigmoid never overflows, softmax subtracts the row maximum, loss logs are clamped at -100 and the
//     cross-entropy gradient denominators floored at 1e-12 (LossKind.LOG_FLOOR, LossKind.GRAD_EPSILON);
//   * loss sums are accumulated in double, as the CPU does.
// Transcendentals (expf, tanhf, expm1f, log) differ from Java's by an ulp or two; tests allow for that.
//
// Layout: every tensor is float32, row-major, contiguous. Sizes are < 2^31 elements (Checks.validate), but
// index arithmetic that multiplies a row by a column count is done in 64 bits, and so are the loops that walk a
// row's columns (NNJ_FOR_EACH_COLUMN), whose last step passes cols by up to 31.
//
// Launch shapes (chosen in CudaBackend.java):
//   elementwise    1-D grid-stride loop, 256 threads per block;
//   row-wise       one warp (32 lanes) per row, 8 rows per 256-thread block, grid-stride over rows;
//   reductions     to a single scalar (loss sum, correct count): one block, so the result is deterministic
//                  and no atomics or second pass are needed;
//   column sums    32 columns per block, blockDim.y rows summed in parallel.

#define NNJ_IDENTITY 0
#define NNJ_SIGMOID 1
#define NNJ_TANH 2
#define NNJ_RELU 3
#define NNJ_LEAKY_RELU 4
#define NNJ_ELU 5

#define NNJ_MSE 0
#define NNJ_BCE 1
#define NNJ_CCE 2

#define NNJ_LOG_FLOOR (-100.0)
#define NNJ_GRAD_EPSILON 1e-12f
#define NNJ_FULL_MASK 0xffffffffu

// ------------------------------------------------------------------ shared device helpers

// Logistic sigmoid, stable for both signs: e^-z is only taken for z >= 0.
__device__ __forceinline__ float nnj_sigmoid(float z) {
    if (z >= 0.f) {
        return 1.f / (1.f + expf(-z));
    }
    float e = expf(z);
    return e / (1.f + e);
}

// f(z) for the elementwise activations; alpha is LEAKY_RELU's slope and ELU's scale.
__device__ __forceinline__ float nnj_activate(int f, float alpha, float z) {
    switch (f) {
        case NNJ_SIGMOID: return nnj_sigmoid(z);
        case NNJ_TANH: return tanhf(z);
        // "z <= 0 ? negative side : z": a NaN takes the positive side and stays NaN, as on the CPU.
        case NNJ_RELU: return z <= 0.f ? 0.f : z;
        case NNJ_LEAKY_RELU: return z <= 0.f ? alpha * z : z;
        // expm1 keeps precision for small |z|, where e^z - 1 would cancel.
        case NNJ_ELU: return z <= 0.f ? alpha * expm1f(z) : z;
        default: return z;
    }
}

// f'(z) written with the output a = f(z), as in dev.nnj.api.Activation.
__device__ __forceinline__ float nnj_derivative(int f, float alpha, float a) {
    switch (f) {
        case NNJ_SIGMOID: return a * (1.f - a);
        case NNJ_TANH: return 1.f - a * a;
        // A NaN output takes the positive side (passes dA through), as on the CPU.
        case NNJ_RELU: return a <= 0.f ? 0.f : 1.f;
        case NNJ_LEAKY_RELU: return a <= 0.f ? alpha : 1.f;
        case NNJ_ELU: return a <= 0.f ? a + alpha : 1.f;
        default: return 1.f;
    }
}

// NaN rules. PTX max/min (fmax, fmaxf) return the other operand when one is NaN, where Java's Math.max returns
// NaN; these helpers keep a NaN (or the NaN of log of a negative number) as the CPU does, so that a bad
// prediction gives the same NaN loss and gradient on both backends instead of a finite number here.

// max(log x, LOG_FLOOR), NaN when x is NaN or negative (log 0 = -inf becomes the floor).
__device__ __forceinline__ double nnj_clamped_log(double x) {
    double l = log(x);
    return isnan(l) ? l : fmax(l, NNJ_LOG_FLOOR);
}

// max(x, lo) that keeps a NaN x, as Math.max does.
__device__ __forceinline__ float nnj_floor_keep_nan(float x, float lo) {
    return isnan(x) ? x : fmaxf(x, lo);
}

// max(a, b), NaN when either is, as Math.max (and torch.maximum) give it.
__device__ __forceinline__ float nnj_max_keep_nan(float a, float b) {
    return isnan(a) ? a : isnan(b) ? b : fmaxf(a, b);
}

__device__ __forceinline__ float nnj_warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(NNJ_FULL_MASK, v, o);
    }
    return v;
}

__device__ __forceinline__ double nnj_warp_sum_d(double v) {
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_xor_sync(NNJ_FULL_MASK, v, o);
    }
    return v;
}

__device__ __forceinline__ float nnj_warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) {
        v = fmaxf(v, __shfl_xor_sync(NNJ_FULL_MASK, v, o));
    }
    return v;
}

// One lane's columns of a row: lane, lane + 32, ... < cols. In 64 bits: an int j overflows at j += 32 for cols
// above 2^31 - 32 (lanes whose last column is 2^31 - 32 or more), and a wrapped j passes j < cols. The loop has
// the same shape in int and long long (nvcc unrolls both four times), one 64-bit add and compare per 4 columns.
#define NNJ_FOR_EACH_COLUMN(j, lane, cols) \
    for (long long j = (lane); j < (long long) (cols); j += 32)

// Index of the first maximum of x[0 .. cols) across the warp: each lane keeps its own first maximum
// (strict >, ascending j), and the tree keeps the larger value, or on a tie the smaller index.
// NaN as on the CPU, which starts from x[0] and takes an element only when it is greater: a NaN at x[0] wins
// (nothing compares greater), a NaN elsewhere never does. So lanes skip NaNs, and x[0] = NaN answers 0.
// A lane that has taken no column holds NNJ_NO_INDEX, which is below every column index, whatever cols is.
// Lane 0 always takes x[0] or a greater element, so the answer is never NNJ_NO_INDEX.
#define NNJ_NO_INDEX (-1)
__device__ __forceinline__ int nnj_warp_argmax(const float* x, int cols, int lane) {
    if (isnan(x[0])) {
        return 0;
    }
    float best = -INFINITY;
    int at = NNJ_NO_INDEX;
    NNJ_FOR_EACH_COLUMN(j, lane, cols) {
        float v = x[j];
        if (!isnan(v) && (at == NNJ_NO_INDEX || v > best)) {
            best = v;
            at = (int) j;  // j < cols <= 2^31 - 1
        }
    }
    for (int o = 16; o > 0; o >>= 1) {
        float ov = __shfl_xor_sync(NNJ_FULL_MASK, best, o);
        int oi = __shfl_xor_sync(NNJ_FULL_MASK, at, o);
        if (oi != NNJ_NO_INDEX && (at == NNJ_NO_INDEX || ov > best || (ov == best && oi < at))) {
            best = ov;
            at = oi;
        }
    }
    return at;
}

// Grid-stride loop bounds for elementwise kernels, in 64 bits so that i += stride cannot overflow.
#define NNJ_FOR_EACH(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (long long) (n); \
         i += (long long) blockDim.x * gridDim.x)

// One warp per row: every lane of a warp walks the same rows, so warp shuffles see the whole warp.
#define NNJ_FOR_EACH_ROW(r, rows) \
    for (long long r = (long long) blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); r < (long long) (rows); \
         r += (long long) gridDim.x * (blockDim.x >> 5))

extern "C" {

// ------------------------------------------------------------------ memory

// x[i] = value
__global__ void nnj_fill(float* x, int n, float value) {
    NNJ_FOR_EACH(i, n) {
        x[i] = value;
    }
}

// ------------------------------------------------------------------ activations

// out[i, j] = f(z[i, j] + bias[j]) for the elementwise f; bias may be null; out may be z.
__global__ void nnj_bias_activation(const float* z, const float* bias, float* out, int rows, int cols, int f,
                                    float alpha) {
    NNJ_FOR_EACH(i, (long long) rows * cols) {
        float v = bias != nullptr ? z[i] + bias[i % cols] : z[i];
        out[i] = nnj_activate(f, alpha, v);
    }
}

// out[r, :] = softmax(z[r, :] + bias) with the row maximum subtracted first. Each element is read and
// written by the same lane, so out may be z.
__global__ void nnj_softmax_rows(const float* z, const float* bias, float* out, int rows, int cols) {
    int lane = threadIdx.x & 31;
    NNJ_FOR_EACH_ROW(r, rows) {
        const float* zr = z + r * cols;
        float* o = out + r * cols;
        float m = -INFINITY;
        NNJ_FOR_EACH_COLUMN(j, lane, cols) {
            float v = bias != nullptr ? zr[j] + bias[j] : zr[j];
            m = fmaxf(m, v);
        }
        m = nnj_warp_max(m);
        float s = 0.f;
        NNJ_FOR_EACH_COLUMN(j, lane, cols) {
            float v = bias != nullptr ? zr[j] + bias[j] : zr[j];
            float e = expf(v - m);
            o[j] = e;
            s += e;
        }
        s = nnj_warp_sum(s);
        float inv = 1.f / s;
        NNJ_FOR_EACH_COLUMN(j, lane, cols) {
            o[j] *= inv;
        }
    }
}

// dZ = dA * f'(z), from the output a = f(z); dZ may be dA.
__global__ void nnj_activation_backward(int f, float alpha, const float* a, const float* dA, float* dZ, int n) {
    NNJ_FOR_EACH(i, n) {
        dZ[i] = dA[i] * nnj_derivative(f, alpha, a[i]);
    }
}

// dZ[r, j] = a[r, j] (dA[r, j] - sum_k dA[r, k] a[r, k]): the softmax Jacobian applied to dA.
__global__ void nnj_softmax_backward(const float* a, const float* dA, float* dZ, int rows, int cols) {
    int lane = threadIdx.x & 31;
    NNJ_FOR_EACH_ROW(r, rows) {
        long long base = r * cols;
        float dot = 0.f;
        NNJ_FOR_EACH_COLUMN(j, lane, cols) {
            dot += dA[base + j] * a[base + j];
        }
        dot = nnj_warp_sum(dot);
        NNJ_FOR_EACH_COLUMN(j, lane, cols) {
            dZ[base + j] = a[base + j] * (dA[base + j] - dot);
        }
    }
}

// ------------------------------------------------------------------ elementwise

// out = a * b
__global__ void nnj_multiply(const float* a, const float* b, float* out, int n) {
    NNJ_FOR_EACH(i, n) {
        out[i] = a[i] * b[i];
    }
}

// out = scale * (a - b), a magnitude of at most 2^-126 written as a zero of its sign, as the CPU writes it
// (nn-cpu's Subnormals: there for Intel's slow subnormal arithmetic, here so that both backends give the same
// numbers); NaN and the infinities pass.
__global__ void nnj_scaled_difference(float scale, const float* a, const float* b, float* out, int n) {
    NNJ_FOR_EACH(i, n) {
        float v = scale * (a[i] - b[i]);
        out[i] = fabsf(v) <= 0x1p-126f ? copysignf(0.f, v) : v;
    }
}

// mask[i] = keep if uniform(seed, i) >= rate else 0, with uniform = dev.nnj.api.DropoutRng: SplitMix64's
// finaliser of seed + (i + 1) * golden gamma (wrapping 64-bit arithmetic), top 24 bits times 2^-24.
// keep = 1 / (1 - rate) is computed by the caller in float, as the CPU does.
__global__ void nnj_dropout_mask(float rate, float keep, unsigned long long seed, float* mask, int n) {
    NNJ_FOR_EACH(i, n) {
        unsigned long long z = seed + (unsigned long long) (i + 1) * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z = z ^ (z >> 31);
        float u = (float) (z >> 40) * 5.9604644775390625e-8f;  // exact: a 24-bit integer times 2^-24
        mask[i] = u >= rate ? keep : 0.f;
    }
}

// ------------------------------------------------------------------ losses and metrics

// out[0] = beta * out[0] + sum_i loss_i (beta == 0 sets). One block; one warp per row; double accumulators.
__global__ void nnj_loss_sum(int kind, const float* p, const float* y, int rows, int cols, float beta,
                             float* out) {
    __shared__ double partial[32];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    double acc = 0.0;
    for (long long r = warp; r < rows; r += blockDim.x >> 5) {
        long long base = r * cols;
        double row = 0.0;
        NNJ_FOR_EACH_COLUMN(j, lane, cols) {
            float pj = p[base + j];
            float yj = y[base + j];
            if (kind == NNJ_MSE) {
                float d = pj - yj;
                row += (double) (d * d);
            } else if (kind == NNJ_BCE) {
                double lp = nnj_clamped_log((double) pj);
                double lq = nnj_clamped_log((double) (1.f - pj));
                row -= yj * lp + (1.f - yj) * lq;
            } else {
                row -= yj * nnj_clamped_log((double) pj);
            }
        }
        row = nnj_warp_sum_d(row);
        acc += kind == NNJ_CCE ? row : row / cols;
    }
    if (lane == 0) {
        partial[warp] = acc;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int w = 0; w < (int) (blockDim.x >> 5); w++) {
            total += partial[w];
        }
        out[0] = beta == 0.f ? (float) total : (float) ((double) beta * (double) out[0] + total);  // as the CPU
    }
}

// Gradient of the mean loss with respect to p (sets): nc = rows * cols and n = rows, as floats.
__global__ void nnj_loss_gradient(int kind, const float* p, const float* y, float* g, int size, float nc,
                                  float n) {
    NNJ_FOR_EACH(i, size) {
        float pi = p[i];
        float yi = y[i];
        if (kind == NNJ_MSE) {
            g[i] = 2.f * (pi - yi) / nc;
        } else if (kind == NNJ_BCE) {
            g[i] = (pi - yi) / nnj_floor_keep_nan(pi * (1.f - pi), NNJ_GRAD_EPSILON) / nc;
        } else {
            g[i] = -yi / nnj_floor_keep_nan(pi, NNJ_GRAD_EPSILON) / n;
        }
    }
}

// out[0] = beta * out[0] + number of rows whose arg-max agree (one column: whose > 0.5 agree; 0.5 is class 0).
__global__ void nnj_count_correct(const float* p, const float* y, int rows, int cols, float beta, float* out) {
    __shared__ int partial[32];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int count = 0;
    for (long long r = warp; r < rows; r += blockDim.x >> 5) {
        long long base = r * cols;
        bool correct;
        if (cols == 1) {
            correct = (p[base] > 0.5f) == (y[base] > 0.5f);
        } else {
            correct = nnj_warp_argmax(p + base, cols, lane) == nnj_warp_argmax(y + base, cols, lane);
        }
        if (correct) {
            count++;
        }
    }
    if (lane == 0) {
        partial[warp] = count;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        int total = 0;
        for (int w = 0; w < (int) (blockDim.x >> 5); w++) {
            total += partial[w];
        }
        out[0] = beta == 0.f ? (float) total : beta * out[0] + (float) total;
    }
}

// out[j] = alpha * sum_i x[i, j] + beta * out[j] (beta == 0 sets). blockDim = (32, ry), ry <= 32: each
// thread sums every ry-th row of one column, then the ry partial sums are added in shared memory.
__global__ void nnj_column_sums(const float* x, int rows, int cols, float alpha, float beta, float* out) {
    __shared__ float partial[32][33];  // 33: no bank conflicts when the first row reads a column
    // 64-bit, like NNJ_FOR_EACH's index: in int it only just fits (cols = 2^31 - 1 gives 2^26 blocks, whose last
    // thread is column 2^31 - 1), so a grid rounded up any further would wrap it negative and pass j < cols.
    long long j = (long long) blockIdx.x * 32 + threadIdx.x;
    float s = 0.f;
    if (j < cols) {
        for (long long i = threadIdx.y; i < rows; i += blockDim.y) {
            s += x[i * cols + j];
        }
    }
    partial[threadIdx.y][threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.y == 0 && j < cols) {
        float t = 0.f;
        for (int k = 0; k < (int) blockDim.y; k++) {
            t += partial[k][threadIdx.x];
        }
        out[j] = beta == 0.f ? alpha * t : alpha * t + beta * out[j];
    }
}

// ------------------------------------------------------------------ optimizers (in place)

// torch.optim.SGD; buf may be null when momentum == 0.
__global__ void nnj_sgd_step(float* p, const float* g, float* buf, int n, float lr, float momentum,
                             float dampening, float weight_decay, int nesterov, int first_step) {
    NNJ_FOR_EACH(i, n) {
        float gi = g[i] + weight_decay * p[i];
        if (momentum == 0.f) {
            p[i] = p[i] - lr * gi;
        } else {
            float b = first_step ? gi : momentum * buf[i] + (1.f - dampening) * gi;
            buf[i] = b;
            p[i] = p[i] - lr * (nesterov ? gi + momentum * b : b);
        }
    }
}

// torch.optim.Adam / AdamW; step_size = lr / (1 - beta1^t) and sqrt_bc2 = sqrt(1 - beta2^t) come from the
// caller, computed in double and rounded to float as on the CPU. v_max is null unless AMSGrad, which divides by
// the largest v so far.
__global__ void nnj_adam_step(float* p, const float* g, float* m, float* v, float* v_max, int n, float lr,
                              float beta1, float beta2, float eps, float weight_decay, int decoupled,
                              float step_size, float sqrt_bc2) {
    NNJ_FOR_EACH(i, n) {
        float gi = g[i];
        float pi = p[i];
        if (decoupled) {
            pi = pi * (1.f - lr * weight_decay);
        } else {
            gi = gi + weight_decay * pi;
        }
        float mi = beta1 * m[i] + (1.f - beta1) * gi;
        float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        if (v_max != nullptr) {
            vi = nnj_max_keep_nan(v_max[i], vi);
            v_max[i] = vi;
        }
        p[i] = pi - step_size * mi / (sqrtf(vi) / sqrt_bc2 + eps);
    }
}

// torch.optim.RMSprop; g_avg is null unless centered, buf is null when momentum == 0.
__global__ void nnj_rmsprop_step(float* p, const float* g, float* sq, float* g_avg, float* buf, int n, float lr,
                                 float alpha, float eps, float weight_decay, float momentum) {
    NNJ_FOR_EACH(i, n) {
        float gi = g[i] + weight_decay * p[i];
        float s = alpha * sq[i] + (1.f - alpha) * gi * gi;
        sq[i] = s;
        float d;
        if (g_avg != nullptr) {
            float a = alpha * g_avg[i] + (1.f - alpha) * gi;
            g_avg[i] = a;
            d = sqrtf(s - a * a) + eps;
        } else {
            d = sqrtf(s) + eps;
        }
        if (momentum != 0.f) {
            float b = momentum * buf[i] + gi / d;
            buf[i] = b;
            p[i] = p[i] - lr * b;
        } else {
            p[i] = p[i] - lr * gi / d;
        }
    }
}

// torch.optim.Adagrad with the decayed rate clr from the caller.
__global__ void nnj_adagrad_step(float* p, const float* g, float* sum, int n, float clr, float eps,
                                 float weight_decay) {
    NNJ_FOR_EACH(i, n) {
        float gi = g[i] + weight_decay * p[i];
        float s = sum[i] + gi * gi;
        sum[i] = s;
        p[i] = p[i] - clr * gi / (sqrtf(s) + eps);
    }
}

// ------------------------------------------------------------------ gradient clipping

// out[0] = beta * out[0] + sum_i x[i]^2 (beta == 0 sets). One block; each thread strides over x with a double
// accumulator, warps add their lanes, thread 0 adds the warps: deterministic, no atomics.
__global__ void nnj_sum_of_squares(const float* x, int n, float beta, float* out) {
    __shared__ double partial[32];
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    double acc = 0.0;
    for (long long i = threadIdx.x; i < n; i += blockDim.x) {
        double v = (double) x[i];
        acc += v * v;
    }
    acc = nnj_warp_sum_d(acc);
    if (lane == 0) {
        partial[warp] = acc;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int w = 0; w < (int) (blockDim.x >> 5); w++) {
            total += partial[w];
        }
        out[0] = beta == 0.f ? (float) total : (float) (beta * (double) out[0] + total);
    }
}

// torch.nn.utils.clip_grad_norm_'s scaling, with the factor computed here from the squared norm, so that the
// host never waits for it: x *= min(1, max_norm / (sqrt(s) + 1e-6)). A NaN factor passes through (NaN > 1 is
// false), as PyTorch's clamp does.
__global__ void nnj_clip_by_norm(float* x, const float* sum_of_squares, int n, float max_norm) {
    float total = sqrtf(sum_of_squares[0]);
    float factor = max_norm / (total + 1e-6f);
    factor = factor > 1.f ? 1.f : factor;
    NNJ_FOR_EACH(i, n) {
        x[i] = x[i] * factor;
    }
}

// torch.nn.utils.clip_grad_value_: x = min(max(x, -limit), limit), by comparisons so that NaN stays NaN.
__global__ void nnj_clip_by_value(float* x, int n, float limit) {
    NNJ_FOR_EACH(i, n) {
        float v = x[i];
        x[i] = v > limit ? limit : (v < -limit ? -limit : v);
    }
}

}  // extern "C"
