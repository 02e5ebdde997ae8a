// SPDX-License-Identifier: Apache-2.0
// Job parsing and the DPI functions cd_pim_tb imports: instruction fetch, DRAM and stack-buffer access,
// DRAM command monitor.
#include "pim_job.h"

#include <algorithm>
#include <cstring>

#include "Vcd_pim_tb__Dpi.h"

PimJob g_job;

namespace {

uint64_t Load64(const std::vector<uint8_t>& mem, uint64_t addr) {
  uint64_t v = 0;
  if (addr < mem.size()) std::memcpy(&v, mem.data() + addr, std::min<uint64_t>(8, mem.size() - addr));
  return v;
}

template <typename T>
bool Take(const uint8_t*& p, const uint8_t* end, T* v) {
  if (static_cast<size_t>(end - p) < sizeof(T)) return false;
  std::memcpy(v, p, sizeof(T));
  p += sizeof(T);
  return true;
}

}  // namespace

bool LoadJob(const uint8_t* data, size_t len, std::string* error) {
  const uint8_t* p = data;
  const uint8_t* end = data + len;
  uint32_t magic = 0, version = 0, n_instr = 0;
  uint64_t dram_bytes = 0, sbuf_bytes = 0;
  if (!Take(p, end, &magic) || magic != kJobMagic || !Take(p, end, &version) || version != 1 ||
      !Take(p, end, &n_instr) || !Take(p, end, &dram_bytes) || !Take(p, end, &sbuf_bytes)) {
    *error = "not a version-1 job";
    return false;
  }
  uint64_t need = static_cast<uint64_t>(n_instr) * 32 + dram_bytes + sbuf_bytes;
  if (static_cast<uint64_t>(end - p) < need) {
    *error = "job truncated";
    return false;
  }
  PimJob job;
  job.instr.resize(static_cast<size_t>(n_instr) * 8);
  std::memcpy(job.instr.data(), p, job.instr.size() * 4);
  p += job.instr.size() * 4;
  job.dram.assign(p, p + dram_bytes);
  p += dram_bytes;
  job.sbuf.assign(p, p + sbuf_bytes);
  g_job = std::move(job);
  return true;
}

extern "C" unsigned int cd_instr_count() { return static_cast<unsigned int>(g_job.instr.size() / 8); }
extern "C" unsigned int cd_instr_word(unsigned int idx, unsigned int word) {
  uint64_t i = static_cast<uint64_t>(idx) * 8 + word;
  return i < g_job.instr.size() ? g_job.instr[i] : 0;
}
extern "C" unsigned long long cd_dram_read64(unsigned long long addr) { return Load64(g_job.dram, addr); }
extern "C" unsigned long long cd_sbuf_read64(unsigned int addr) { return Load64(g_job.sbuf, addr); }
extern "C" void cd_sbuf_write32(unsigned int addr, unsigned int value) {
  if (static_cast<uint64_t>(addr) + 4 <= g_job.sbuf.size()) std::memcpy(g_job.sbuf.data() + addr, &value, 4);
}
extern "C" void cd_sbuf_write16(unsigned int addr, unsigned short value) {
  if (static_cast<uint64_t>(addr) + 2 <= g_job.sbuf.size()) std::memcpy(g_job.sbuf.data() + addr, &value, 2);
}
extern "C" void cd_dram_cmd(unsigned long long cycle, unsigned int kind, unsigned int bundle, unsigned int row,
                            unsigned int col) {
  if (kind < kCmdKinds) g_job.cmd_count[kind]++;
  if (g_job.dram_log) std::fprintf(g_job.dram_log, "%llu %u %u %u %u\n", cycle, kind, bundle, row, col);
}
