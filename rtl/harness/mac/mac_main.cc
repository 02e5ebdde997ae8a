// SPDX-License-Identifier: Apache-2.0
// Harness of cd_mac_lane: stdin carries 8-byte records (a u16, b u16, acc u32), stdout gets 8-byte records
// (product u32, sum u32). Binary framing so C# can stream millions of vectors (MacLaneSim.cs).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <vector>

#include "Vcd_mac_lane.h"
#include "verilated.h"

int main() {
  auto ctx = std::make_unique<VerilatedContext>();
  auto top = std::make_unique<Vcd_mac_lane>(ctx.get(), "TOP");
  std::vector<uint8_t> in(8 * 4096);
  std::vector<uint32_t> out(2 * 4096);
  for (;;) {
    size_t n = std::fread(in.data(), 8, 4096, stdin);
    if (n == 0) break;
    for (size_t i = 0; i < n; i++) {
      const uint8_t* r = in.data() + 8 * i;
      top->a_i = static_cast<uint16_t>(r[0] | (r[1] << 8));
      top->b_i = static_cast<uint16_t>(r[2] | (r[3] << 8));
      top->acc_i = static_cast<uint32_t>(r[4]) | (static_cast<uint32_t>(r[5]) << 8) |
                   (static_cast<uint32_t>(r[6]) << 16) | (static_cast<uint32_t>(r[7]) << 24);
      top->eval();
      out[2 * i] = top->prod_o;
      out[2 * i + 1] = top->sum_o;
    }
    if (std::fwrite(out.data(), 8, n, stdout) != n) return 1;
  }
  top->final();
  return 0;
}
