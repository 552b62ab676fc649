// Counts heap allocations so that `bourse bench` can report allocations per
// operation. The executable defines malloc, calloc and realloc, which take
// precedence over the C library's for the whole process (ELF symbol lookup
// starts at the executable), and forwards each call to glibc's implementation.
// free and the aligned allocators are left to the C library.
#include "AllocationCounter.h"
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);

static uint64_t allocations;

void *malloc(size_t size) {
    __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
    return __libc_realloc(pointer, size);
}

uint64_t bourse_allocation_count(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }
