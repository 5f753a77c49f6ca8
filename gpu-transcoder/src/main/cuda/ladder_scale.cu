// Bifrost ladder scaler: every rung of a rendition ladder from one decoded frame, for a batch of frames, in one launch.
//
// The work is a table of "plane jobs" built on the host (io.bifrost.transcoder.scale.ScaleJobTable): one job per
// output plane of each rung (Y, U, V; NV12's UV plane is two jobs, U and V, each with a byte step of 2). Threads are
// numbered across all jobs (job j owns threads [first_j, first_j + dstWidth_j * dstHeight_j)), blockIdx.y is the
// frame of the batch; all frames of a batch share one geometry and sit at a fixed stride in the source and output
// buffers. The Java class io.bifrost.transcoder.scale.AreaScaler is the bit-exact reference of this kernel: any
// change here must be made there too (the PTX is regenerated with build-ptx.sh, and a test fails when it is stale).
//
// Area averaging in exact integers: with g = gcd(srcW, dstW), M = srcW / g and N = dstW / g, output column x covers
// [x * M, (x + 1) * M) in units where one source column is N units wide; a source column overlapping it by w units
// weighs w. Weights of one output pixel sum to M (columns) x M' (rows), so the result is
// (sum of w * w' * pixel + M * M' / 2) / (M * M'), rounded half up. Sums use 32 bits when 255.5 * M * M' fits,
// 64 bits otherwise (only for huge co-prime sizes), with the same result.

#define JOB_INTS 16
#define JOB_SRC_OFFSET 0
#define JOB_SRC_PITCH 1
#define JOB_SRC_STEP 2
#define JOB_DST_OFFSET 3
#define JOB_DST_PITCH 4
#define JOB_DST_STEP 5
#define JOB_DST_WIDTH 6
#define JOB_DST_HEIGHT 7
#define JOB_X_NUM 8
#define JOB_X_DEN 9
#define JOB_Y_NUM 10
#define JOB_Y_DEN 11
#define JOB_FIRST_THREAD 12
#define MAX_JOBS 64
#define SMALL_AREA_LIMIT 16777215u

extern "C" __global__ void ladder_area(
    const unsigned char* __restrict__ src, const unsigned long long srcFrameBytes,
    unsigned char* __restrict__ dst, const unsigned long long dstFrameBytes,
    const int* __restrict__ jobs, const int jobCount, const int totalThreads)
{
    __shared__ int table[MAX_JOBS * JOB_INTS];
    for (int i = threadIdx.x; i < jobCount * JOB_INTS; i += blockDim.x)
    {
        table[i] = jobs[i];
    }
    __syncthreads();

    const int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t >= totalThreads)
    {
        return;
    }
    int j = 0;
    while (j + 1 < jobCount && table[(j + 1) * JOB_INTS + JOB_FIRST_THREAD] <= t)
    {
        j++;
    }
    const int* job = table + j * JOB_INTS;
    const int local = t - job[JOB_FIRST_THREAD];
    const int dstW = job[JOB_DST_WIDTH];
    const int oy = local / dstW;
    const int ox = local - oy * dstW;

    const int xm = job[JOB_X_NUM];
    const int xn = job[JOB_X_DEN];
    const int ym = job[JOB_Y_NUM];
    const int yn = job[JOB_Y_DEN];
    const int x0 = ox * xm;
    const int x1 = x0 + xm;
    const int y0 = oy * ym;
    const int y1 = y0 + ym;
    const int sx0 = x0 / xn;
    const int sx1 = (x1 - 1) / xn;
    const int sy0 = y0 / yn;
    const int sy1 = (y1 - 1) / yn;

    const unsigned char* plane = src + (unsigned long long)blockIdx.y * srcFrameBytes + job[JOB_SRC_OFFSET];
    const int pitch = job[JOB_SRC_PITCH];
    const int step = job[JOB_SRC_STEP];
    const unsigned int area = (unsigned int)xm * (unsigned int)ym;
    unsigned int value;
    if (area <= SMALL_AREA_LIMIT)
    {
        unsigned int sum = 0;
        for (int sy = sy0; sy <= sy1; sy++)
        {
            const unsigned int wy = (unsigned int)(min(y1, (sy + 1) * yn) - max(y0, sy * yn));
            const unsigned char* row = plane + sy * pitch;
            unsigned int rowSum = 0;
            for (int sx = sx0; sx <= sx1; sx++)
            {
                const unsigned int wx = (unsigned int)(min(x1, (sx + 1) * xn) - max(x0, sx * xn));
                rowSum += wx * row[sx * step];
            }
            sum += wy * rowSum;
        }
        value = (sum + area / 2u) / area;
    }
    else
    {
        unsigned long long sum = 0;
        for (int sy = sy0; sy <= sy1; sy++)
        {
            const unsigned long long wy = (unsigned long long)(min(y1, (sy + 1) * yn) - max(y0, sy * yn));
            const unsigned char* row = plane + sy * pitch;
            unsigned long long rowSum = 0;
            for (int sx = sx0; sx <= sx1; sx++)
            {
                const unsigned long long wx = (unsigned long long)(min(x1, (sx + 1) * xn) - max(x0, sx * xn));
                rowSum += wx * row[sx * step];
            }
            sum += wy * rowSum;
        }
        value = (unsigned int)((sum + area / 2u) / area);
    }
    dst[(unsigned long long)blockIdx.y * dstFrameBytes + job[JOB_DST_OFFSET] + oy * job[JOB_DST_PITCH] +
        ox * job[JOB_DST_STEP]] = (unsigned char)value;
}
