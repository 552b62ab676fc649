#ifndef BOURSE_CPU_HINTS_H
#define BOURSE_CPU_HINTS_H

/// Asks the CPU to start loading the cache line at `address` (for reading), so that a
/// miss overlaps with the work done before the line is used. Changes nothing else.
static inline void bourse_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
