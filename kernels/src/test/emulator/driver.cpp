// A CPU stand-in for libcuda.so.1 with the driver calls the JCuda native makes for the CUDA
// backend (see build.sh). Device memory is host memory; streams and events are no-ops because
// every call completes before it returns; kernels are the src/main/cuda files compiled as C++.
//
// Launch: blocks run one after another; the threads of a block are ucontext coroutines run
// round-robin, each until it finishes or reaches __syncthreads(), so a barrier holds when every
// thread of the block has reached it, as on the device. A block whose threads do not all reach
// the same barrier is reported as a failed launch.
//
// MIXQ_EMULATOR_REJECT_PTX=1 makes cuModuleLoadData refuse PTX, as a CUDA 12 driver refuses
// the PTX of nvcc 13, to exercise the NVRTC fallback and its error messages.
#include <cuda.h>
#include <ucontext.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "emu.h"

emu_dim3 threadIdx, blockIdx, blockDim, gridDim;

namespace {
struct Kernel {
    void* fn;
    emu_trampoline trampoline;
    std::string name;
};

std::map<std::string, Kernel>& registry() {
    static std::map<std::string, Kernel> kernels;
    return kernels;
}

constexpr size_t STACK_BYTES = 256 * 1024;
constexpr size_t TOTAL_BYTES = 8ull << 30;
ucontext_t scheduler;
std::vector<ucontext_t> threads;
std::vector<char*> stacks;
std::vector<int> states;  // RUNNABLE, AT_BARRIER or DONE
enum { RUNNABLE, AT_BARRIER, DONE };
int current;
Kernel* running;
void** runningParams;
std::map<CUdeviceptr, size_t> allocations;
size_t allocatedBytes;
int dummyContext, dummyStream, dummyModule, eventCount;

void threadEntry() {
    running->trampoline(running->fn, runningParams);
    states[current] = DONE;
}

// Runs one block; false when its threads disagree about a barrier.
bool runBlock(unsigned count) {
    while (stacks.size() < count) {
        stacks.push_back(static_cast<char*>(malloc(STACK_BYTES)));
    }
    threads.resize(count > threads.size() ? count : threads.size());
    states.assign(count, RUNNABLE);
    for (unsigned t = 0; t < count; t++) {
        getcontext(&threads[t]);
        threads[t].uc_stack.ss_sp = stacks[t];
        threads[t].uc_stack.ss_size = STACK_BYTES;
        threads[t].uc_link = &scheduler;
        makecontext(&threads[t], threadEntry, 0);
    }
    for (;;) {
        for (unsigned t = 0; t < count; t++) {
            if (states[t] != DONE) {
                states[t] = RUNNABLE;
                threadIdx = emu_dim3{t, 0, 0};
                current = static_cast<int>(t);
                swapcontext(&scheduler, &threads[t]);
            }
        }
        unsigned done = 0, waiting = 0;
        for (unsigned t = 0; t < count; t++) {
            done += states[t] == DONE;
            waiting += states[t] == AT_BARRIER;
        }
        if (done == count) {
            return true;
        }
        if (done > 0 && waiting > 0) {
            fprintf(stderr, "emulator: kernel %s: %u threads returned while %u wait at __syncthreads\n",
                    running->name.c_str(), done, waiting);
            return false;
        }
    }
}
}  // namespace

void emu_register(const char* name, void* fn, emu_trampoline t) { registry()[name] = Kernel{fn, t, name}; }

void __syncthreads() {
    states[current] = AT_BARRIER;
    swapcontext(&threads[current], &scheduler);
}

extern "C" {
CUresult cuInit(unsigned int) { return CUDA_SUCCESS; }
CUresult cuDriverGetVersion(int* version) { *version = 13000; return CUDA_SUCCESS; }
CUresult cuDeviceGetCount(int* count) { *count = 1; return CUDA_SUCCESS; }

CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

CUresult cuDeviceGetName(char* name, int length, CUdevice) {
    snprintf(name, length, "CPU emulation");
    return CUDA_SUCCESS;
}

CUresult cuDeviceTotalMem(size_t* bytes, CUdevice) { *bytes = TOTAL_BYTES; return CUDA_SUCCESS; }

CUresult cuDeviceGetAttribute(int* value, CUdevice_attribute attribute, CUdevice) {
    switch (attribute) {
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *value = 9; break;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *value = 0; break;
        case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *value = 2; break;
        default: *value = 0;
    }
    return CUDA_SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice) {
    *context = reinterpret_cast<CUcontext>(&dummyContext);
    return CUDA_SUCCESS;
}
CUresult cuDevicePrimaryCtxRelease(CUdevice) { return CUDA_SUCCESS; }
CUresult cuCtxSetCurrent(CUcontext) { return CUDA_SUCCESS; }
CUresult cuCtxSynchronize() { return CUDA_SUCCESS; }

CUresult cuStreamCreate(CUstream* stream, unsigned int) {
    *stream = reinterpret_cast<CUstream>(&dummyStream);
    return CUDA_SUCCESS;
}
CUresult cuStreamSynchronize(CUstream) { return CUDA_SUCCESS; }
CUresult cuStreamDestroy(CUstream) { return CUDA_SUCCESS; }

CUresult cuMemAlloc(CUdeviceptr* ptr, size_t bytes) {
    if (allocatedBytes + bytes > TOTAL_BYTES) return CUDA_ERROR_OUT_OF_MEMORY;
    void* memory = aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (memory == nullptr) return CUDA_ERROR_OUT_OF_MEMORY;
    memset(memory, 0xff, bytes);  // NaN-like garbage: cuMemAlloc does not clear memory
    *ptr = reinterpret_cast<CUdeviceptr>(memory);
    allocations[*ptr] = bytes;
    allocatedBytes += bytes;
    return CUDA_SUCCESS;
}

CUresult cuMemFree(CUdeviceptr ptr) {
    auto it = allocations.find(ptr);
    if (it == allocations.end()) return CUDA_ERROR_INVALID_VALUE;
    allocatedBytes -= it->second;
    allocations.erase(it);
    free(reinterpret_cast<void*>(ptr));
    return CUDA_SUCCESS;
}

CUresult cuMemGetInfo(size_t* freeBytes, size_t* totalBytes) {
    *totalBytes = TOTAL_BYTES;
    *freeBytes = TOTAL_BYTES - allocatedBytes;
    return CUDA_SUCCESS;
}

CUresult cuMemcpyHtoD(CUdeviceptr dst, const void* src, size_t bytes) {
    memcpy(reinterpret_cast<void*>(dst), src, bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoH(void* dst, CUdeviceptr src, size_t bytes) {
    memcpy(dst, reinterpret_cast<void*>(src), bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemcpyDtoDAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream) {
    memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), bytes);
    return CUDA_SUCCESS;
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, CUstream) {
    unsigned int* p = reinterpret_cast<unsigned int*>(dst);
    for (size_t i = 0; i < count; i++) p[i] = value;
    return CUDA_SUCCESS;
}

CUresult cuModuleLoadData(CUmodule* module, const void*) {
    if (getenv("MIXQ_EMULATOR_REJECT_PTX") != nullptr) return CUDA_ERROR_UNSUPPORTED_PTX_VERSION;
    *module = reinterpret_cast<CUmodule>(&dummyModule);
    return CUDA_SUCCESS;
}
CUresult cuModuleUnload(CUmodule) { return CUDA_SUCCESS; }

CUresult cuModuleGetFunction(CUfunction* function, CUmodule, const char* name) {
    auto it = registry().find(name);
    if (it == registry().end()) {
        fprintf(stderr, "emulator: no kernel named %s\n", name);
        return CUDA_ERROR_NOT_FOUND;
    }
    *function = reinterpret_cast<CUfunction>(&it->second);
    return CUDA_SUCCESS;
}

CUresult cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned sharedBytes, CUstream, void** params, void** extra) {
    // the device's limits: a launch outside them fails there too
    if (gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535 || bx == 0 || bx > 1024 || by != 1 || bz != 1
        || sharedBytes != 0 || extra != nullptr) {
        fprintf(stderr, "emulator: invalid launch grid %ux%ux%u, block %ux%ux%u\n", gx, gy, gz, bx, by, bz);
        return CUDA_ERROR_INVALID_VALUE;
    }
    running = reinterpret_cast<Kernel*>(function);
    runningParams = params;
    gridDim = emu_dim3{gx, gy, gz};
    blockDim = emu_dim3{bx, 1, 1};
    for (unsigned z = 0; z < gz; z++) {
        for (unsigned y = 0; y < gy; y++) {
            for (unsigned x = 0; x < gx; x++) {
                blockIdx = emu_dim3{x, y, z};
                if (!runBlock(bx)) return CUDA_ERROR_LAUNCH_FAILED;
            }
        }
    }
    return CUDA_SUCCESS;
}

CUresult cuEventCreate(CUevent* event, unsigned int) {
    *event = reinterpret_cast<CUevent>(static_cast<intptr_t>(++eventCount));
    return CUDA_SUCCESS;
}
CUresult cuEventRecord(CUevent, CUstream) { return CUDA_SUCCESS; }
CUresult cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }
// JCuda 12.6 calls the unversioned entry point; CUDA 13's cuda.h maps the name to _v2
#undef cuEventElapsedTime
CUresult cuEventElapsedTime(float* ms, CUevent, CUevent) {
    *ms = 1.0f;  // no device time to measure: benchmarks under emulation mean nothing
    return CUDA_SUCCESS;
}
CUresult cuEventDestroy(CUevent) { return CUDA_SUCCESS; }

CUresult cuGetErrorString(CUresult, const char** text) {
    *text = "error from the CPU emulation of the CUDA driver";
    return CUDA_SUCCESS;
}
}
