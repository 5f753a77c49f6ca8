// Runs the CUDA kernel source (src/main/cuda/ladder_scale.cu) on the CPU, to check its arithmetic against the Java
// reference on machines without a GPU. Each emulated block has one thread (blockDim.x = 1), so the kernel's
// shared-memory table copy needs no barrier; grid order and indexing are otherwise as on the GPU. Built and driven by
// host_emulation.py.
#include <algorithm>
#include <cstdint>

struct Dim3 { unsigned int x, y, z; };
static Dim3 blockIdx, threadIdx, blockDim;
using std::max;
using std::min;
#define __global__
#define __shared__ static
#define __restrict__
#define __syncthreads()
#include "../../main/cuda/ladder_scale.cu"

extern "C" void emulate_ladder_area(const unsigned char* src, unsigned long long srcFrameBytes, unsigned char* dst,
    unsigned long long dstFrameBytes, const int* jobs, int jobCount, int totalThreads, int frames)
{
    blockDim = {1, 1, 1};
    threadIdx = {0, 0, 0};
    for (int f = 0; f < frames; f++)
    {
        for (int t = 0; t < totalThreads; t++)
        {
            blockIdx = {(unsigned int)t, (unsigned int)f, 0};
            ladder_area(src, srcFrameBytes, dst, dstFrameBytes, jobs, jobCount, totalThreads);
        }
    }
}
