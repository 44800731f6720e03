// Shims that let the kernel files of src/main/cuda compile as host C++ for the CPU stand-in of
// libcuda.so.1 (driver.cpp). One block runs at a time; its threads are coroutines, and
// __syncthreads() switches to the next thread, so shared memory is a function-local static.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <utility>

struct emu_dim3 {
    unsigned x, y, z;
};
extern emu_dim3 threadIdx, blockIdx, blockDim, gridDim;

#define __global__
#define __device__
#define __forceinline__ static inline
#define __launch_bounds__(x)
// Shared memory lives in one section, which the emulator fills with 0xff bytes (NaN, -1) before
// every block, as a block finds garbage there on the device, never what the last block left.
#define __shared__ static __attribute__((section("emu_shared")))
#define __align__(n) __attribute__((aligned(n)))

struct alignas(16) float4 {
    float x, y, z, w;
};
static inline float4 make_float4(float a, float b, float c, float d) { return float4{a, b, c, d}; }
static inline int __float_as_int(float f) {
    int i;
    std::memcpy(&i, &f, sizeof i);
    return i;
}
static inline float __int_as_float(int i) {
    float f;
    std::memcpy(&f, &i, sizeof f);
    return f;
}
// cache hints (streaming loads and stores) have no meaning on the host
template <typename T>
static inline T __ldcs(const T* p) { return *p; }
template <typename T>
static inline void __stcs(T* p, T v) { *p = v; }
// one OS thread runs every emulated thread, so a plain add is atomic
static inline int atomicAdd(int* p, int v) {
    int old = *p;
    *p += v;
    return old;
}
void __syncthreads();

// Kernel registration: a trampoline per kernel signature unpacks cuLaunchKernel's void** params.
typedef void (*emu_trampoline)(void*, void**);
void emu_register(const char* name, void* fn, emu_trampoline t);
template <typename... A, std::size_t... I>
static void emu_call(void (*f)(A...), void** p, std::index_sequence<I...>) {
    f(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(p[I])...);
}
template <typename... A>
static void emu_tramp(void* fn, void** p) {
    emu_call(reinterpret_cast<void (*)(A...)>(fn), p, std::index_sequence_for<A...>{});
}
template <typename... A>
static void emu_reg(const char* name, void (*f)(A...)) {
    emu_register(name, reinterpret_cast<void*>(f), &emu_tramp<A...>);
}
