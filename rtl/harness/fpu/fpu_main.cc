// SPDX-License-Identifier: Apache-2.0
// Harness of cd_fp_units: stdin 8-byte records (a u32, b u32); stdout 20-byte records
// (mul u32, add u32, exp(a) u32, recip(a) u32, half(a) u16, pad u16). Framing: FpUnitsSim.cs.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "Vcd_fp_units.h"
#include "verilated.h"

int main() {
  auto ctx = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<Vcd_fp_units>(ctx.get(), "TOP");
  std::vector<uint32_t> in(2 * 4096);
  std::vector<uint8_t> out(20 * 4096);
  for (;;) {
    size_t n = std::fread(in.data(), 8, 4096, stdin);
    if (n == 0) break;
    for (size_t i = 0; i < n; i++) {
      top->a_i = in[2 * i];
      top->b_i = in[2 * i + 1];
      top->eval();
      uint32_t r[5] = {top->mul_o, top->add_o, top->exp_o, top->recip_o, top->half_o};
      std::memcpy(out.data() + 20 * i, r, 20);
    }
    if (std::fwrite(out.data(), 20, n, stdout) != n) return 1;
  }
  top->final();
  return 0;
}
