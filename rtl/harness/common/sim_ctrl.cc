// SPDX-License-Identifier: Apache-2.0
// Non-template helpers of the shared simulation control.
#include "sim_ctrl.h"

#include <cerrno>
#include <cstdlib>

bool ParseU64(const char* s, uint64_t* out) {
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0') return false;
  *out = v;
  return true;
}
