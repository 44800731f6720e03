// A CPU stand-in for libcuda.so.1 with the driver calls the JCuda native makes for the CUDA
// backend (see build.sh). Device memory is host memory; streams and events are no-ops because
// every call completes before it returns; kernels are the src/main/cuda files compiled as C++.
//
// Launch: blocks run one after another; the threads of a block are coroutines on stacks of their
// own, run round-robin, each until it finishes or reaches __syncthreads(), so a barrier holds
// when every thread of the block has reached it, as on the device. A block whose threads do not
// all reach the same barrier is reported as a failed launch. MIXQ_EMULATOR_ORDER=reverse runs the
// blocks, and the threads between two barriers, last to first: a kernel that is correct on the
// device gives the same results in both orders, and a missing barrier is exercised both ways.
//
// Shared memory is filled with 0xff bytes before each block (emu.h).
//
// Device memory: each allocation is mapped to end where an inaccessible page begins, so a read or
// write past its end crashes the process (SIGSEGV; the JVM's hs_err file names the kernel).
//
// MIXQ_EMULATOR_STATS=1 prints, at exit, how many kernels were launched and how often the host
// waited for the device (copies to the host, stream and event synchronizations).
//
// MIXQ_EMULATOR_REJECT_PTX=1 makes cuModuleLoadData refuse PTX, as a CUDA 12 driver refuses
// the PTX of nvcc 13, to exercise the NVRTC fallback and its error messages.
#include <cuda.h>
#include <sys/mman.h>

#if !defined(__x86_64__)
#error "the emulator switches threads with x86-64 assembly (switchStack)"
#endif

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "emu.h"

emu_dim3 threadIdx, blockIdx, blockDim, gridDim;

// The bounds of the kernels' shared memory (emu.h), from the linker.
extern "C" char __start_emu_shared[], __stop_emu_shared[];

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
void* schedulerStack;               // the scheduler's saved stack pointer while a thread runs
std::vector<void*> threadStacks;    // each thread's saved stack pointer while it is switched out
std::vector<char*> stacks;
std::vector<int> states;  // RUNNABLE, AT_BARRIER or DONE
enum { RUNNABLE, AT_BARRIER, DONE };
int current;
Kernel* running;
void** runningParams;
struct Allocation {
    void* region;   // what mmap returned: the block and its guard page
    size_t mapped;
    size_t bytes;   // what was asked for
};
constexpr size_t PAGE = 4096;
std::map<CUdeviceptr, Allocation> allocations;
size_t allocatedBytes;
int dummyContext, dummyStream, dummyModule, eventCount;
struct Stats {
    long launches, copiesToHost, synchronizations;
    ~Stats() {
        if (getenv("MIXQ_EMULATOR_STATS") != nullptr)
            fprintf(stderr, "emulator: %ld kernel launches, %ld copies to the host, %ld synchronizations\n", launches,
                    copiesToHost, synchronizations);
    }
} stats;
bool environmentIs(const char* name, const char* value) {
    const char* v = getenv(name);
    return v != nullptr && strcmp(v, value) == 0;
}
const bool reversed = environmentIs("MIXQ_EMULATOR_ORDER", "reverse");
}  // namespace

// switchStack(save, next): pushes the callee-saved registers of the System V x86-64 ABI, stores
// the stack pointer in *save, loads next and pops the registers saved there. The caller-saved
// ones are the compiler's to spill around the call. Unlike swapcontext, it makes no system call
// (swapcontext saves the signal mask at every switch, and a block switches at every barrier).
extern "C" void switchStack(void** save, void* next);
asm(R"(
    .text
    .globl switchStack
    .type switchStack, @function
switchStack:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size switchStack, .-switchStack
)");

namespace {
// Where a new thread starts: it runs the kernel, then hands the stack back for good.
[[noreturn]] void threadMain() {
    running->trampoline(running->fn, runningParams);
    states[current] = DONE;
    switchStack(&threadStacks[current], schedulerStack);
    __builtin_unreachable();
}

// A fresh stack that switchStack enters at threadMain: six zero registers, then threadMain as the
// return address, then a null one above it, with the stack 16-byte aligned at threadMain's entry
// as after a call.
void* freshStack(char* stack) {
    uintptr_t top = (reinterpret_cast<uintptr_t>(stack) + STACK_BYTES) & ~uintptr_t{15};
    void** frame = reinterpret_cast<void**>(top) - 8;
    for (int i = 0; i < 6; i++) frame[i] = nullptr;
    frame[6] = reinterpret_cast<void*>(&threadMain);
    frame[7] = nullptr;
    return frame;
}

// Runs one block; false when its threads disagree about a barrier.
bool runBlock(unsigned count) {
    memset(__start_emu_shared, 0xff, static_cast<size_t>(__stop_emu_shared - __start_emu_shared));
    while (stacks.size() < count) {
        stacks.push_back(static_cast<char*>(malloc(STACK_BYTES)));
    }
    threadStacks.resize(count > threadStacks.size() ? count : threadStacks.size());
    states.assign(count, RUNNABLE);
    for (unsigned t = 0; t < count; t++) {
        threadStacks[t] = freshStack(stacks[t]);
    }
    for (;;) {
        for (unsigned i = 0; i < count; i++) {
            unsigned t = reversed ? count - 1 - i : i;
            if (states[t] != DONE) {
                states[t] = RUNNABLE;
                threadIdx = emu_dim3{t, 0, 0};
                current = static_cast<int>(t);
                switchStack(&schedulerStack, threadStacks[t]);
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
    switchStack(&threadStacks[current], schedulerStack);
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
        case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE: *value = 1 << 20; break;
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
CUresult cuStreamSynchronize(CUstream) {
    stats.synchronizations++;
    return CUDA_SUCCESS;
}
CUresult cuStreamDestroy(CUstream) { return CUDA_SUCCESS; }

CUresult cuMemAlloc(CUdeviceptr* ptr, size_t bytes) {
    if (bytes == 0) return CUDA_ERROR_INVALID_VALUE;  // as the driver answers
    if (allocatedBytes + bytes > TOTAL_BYTES) return CUDA_ERROR_OUT_OF_MEMORY;
    // The block ends where an inaccessible guard page begins, so a kernel that reads or writes
    // past the end (beyond the 256-byte alignment cuMemAlloc promises) faults here, as it would
    // raise CUDA_ERROR_ILLEGAL_ADDRESS on the device.
    size_t used = (bytes + 255) / 256 * 256;
    size_t mapped = (used + PAGE - 1) / PAGE * PAGE + PAGE;
    void* region = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) return CUDA_ERROR_OUT_OF_MEMORY;
    char* guard = static_cast<char*>(region) + mapped - PAGE;
    if (mprotect(guard, PAGE, PROT_NONE) != 0) {
        munmap(region, mapped);
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    char* memory = guard - used;
    memset(memory, 0xff, used);  // NaN-like garbage: cuMemAlloc does not clear memory
    *ptr = reinterpret_cast<CUdeviceptr>(memory);
    allocations[*ptr] = Allocation{region, mapped, bytes};
    allocatedBytes += bytes;
    return CUDA_SUCCESS;
}

CUresult cuMemFree(CUdeviceptr ptr) {
    auto it = allocations.find(ptr);
    if (it == allocations.end()) return CUDA_ERROR_INVALID_VALUE;
    allocatedBytes -= it->second.bytes;
    munmap(it->second.region, it->second.mapped);
    allocations.erase(it);
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
    stats.copiesToHost++;
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
    stats.launches++;
    running = reinterpret_cast<Kernel*>(function);
    runningParams = params;
    gridDim = emu_dim3{gx, gy, gz};
    blockDim = emu_dim3{bx, 1, 1};
    for (unsigned k = 0; k < gz; k++) {
        for (unsigned j = 0; j < gy; j++) {
            for (unsigned i = 0; i < gx; i++) {
                blockIdx = reversed ? emu_dim3{gx - 1 - i, gy - 1 - j, gz - 1 - k} : emu_dim3{i, j, k};
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
CUresult cuEventSynchronize(CUevent) {
    stats.synchronizations++;
    return CUDA_SUCCESS;
}
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
