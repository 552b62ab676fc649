#pragma once
#include <stdint.h>
/// Number of malloc, calloc and realloc calls made by the process since it started.
uint64_t bourse_allocation_count(void);
