// A tiny CUDA program for the cuda-cpp example profile: y = a*x + y on the
// GPU when one is visible; without one it says so and exits 3.
#include <cstdio>
#include <cuda_runtime.h>
#include <vector>

__global__ void saxpy(int n, float a, const float* x, float* y)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = a * x[i] + y[i];
    }
}

int main()
{
    std::printf("saxpy: started\n");
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("saxpy: no CUDA device visible (%s)\n", cudaGetErrorString(cudaGetLastError()));
        return 3;
    }
    const int n = 1 << 20;
    std::vector<float> x(n, 1.0f), y(n, 2.0f);
    float *dx = nullptr, *dy = nullptr;
    cudaMalloc(&dx, n * sizeof(float));
    cudaMalloc(&dy, n * sizeof(float));
    cudaMemcpy(dx, x.data(), n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(dy, y.data(), n * sizeof(float), cudaMemcpyHostToDevice);
    saxpy<<<(n + 255) / 256, 256>>>(n, 3.0f, dx, dy);
    cudaMemcpy(y.data(), dy, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaFree(dx);
    cudaFree(dy);
    bool ok = y[0] == 5.0f && y[n - 1] == 5.0f;
    std::printf("saxpy: %s\n", ok ? "ok" : "wrong result");
    return ok ? 0 : 1;
}
