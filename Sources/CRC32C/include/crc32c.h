#ifndef BOURSE_CRC32C_H
#define BOURSE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Extends `crc` (0 to start) with the CRC-32C (Castagnoli) of `length` bytes at `data`.
/// Uses the SSE 4.2 crc32 instruction when the processor has it, a table otherwise.
uint32_t bourse_crc32c(uint32_t crc, const void *data, size_t length);

/// The same with the table only, for tests that compare the two.
uint32_t bourse_crc32c_portable(uint32_t crc, const void *data, size_t length);

#endif
