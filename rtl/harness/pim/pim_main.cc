// SPDX-License-Identifier: Apache-2.0
// Harness of cd_pim_tb: reads a binary job (instructions, DRAM image, stack-buffer image), runs the model to
// completion and writes the stack buffer back with cycle and DRAM-command counts (framing: PimJob.cs).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "Vcd_pim_tb.h"
#include "Vcd_pim_tb__Dpi.h"
#include "common/sim_ctrl_impl.h"

namespace {

constexpr uint32_t kJobMagic = 0x49504443;     // "CDPI"
constexpr uint32_t kResultMagic = 0x4f504443;  // "CDPO"
constexpr int kCmdKinds = 5;                   // index 1..4 = ACT, RD, PRE, REF

struct Job {
  std::vector<uint32_t> instr;
  std::vector<uint8_t> dram;
  std::vector<uint8_t> sbuf;
  uint64_t cmd_count[kCmdKinds] = {};
  FILE* dram_log = nullptr;
} g_job;

template <typename T>
bool Read(std::ifstream& in, T* v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(v), sizeof(T)));
}

uint64_t Load64(const std::vector<uint8_t>& mem, uint64_t addr) {
  uint64_t v = 0;
  if (addr < mem.size()) std::memcpy(&v, mem.data() + addr, std::min<uint64_t>(8, mem.size() - addr));
  return v;
}

}  // namespace

// DPI: the instruction stream, the DRAM storage, the stack buffer and the DRAM command monitor.
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
extern "C" void cd_dram_cmd(unsigned long long cycle, unsigned int kind, unsigned int bundle,
                            unsigned int row, unsigned int col) {
  if (kind < kCmdKinds) g_job.cmd_count[kind]++;
  if (g_job.dram_log) std::fprintf(g_job.dram_log, "%llu %u %u %u %u\n", cycle, kind, bundle, row, col);
}

int main(int argc, char** argv) {
  std::string in_path, out_path, trace_path, log_path;
  SimLimits limits;
  uint64_t freeze_at = UINT64_MAX;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    bool ok = v != nullptr;
    if (a == "--in" && ok) in_path = v;
    else if (a == "--out" && ok) out_path = v;
    else if (a == "--trace" && ok) trace_path = v;
    else if (a == "--dram-log" && ok) log_path = v;
    else if (a == "--max-cycles" && ok) ok = ParseU64(v, &limits.max_cycles);
    else if (a == "--stall-cycles" && ok) ok = ParseU64(v, &limits.stall_cycles);
    else if (a == "--freeze-dram-at" && ok) ok = ParseU64(v, &freeze_at);
    else ok = false;
    if (!ok) { std::fprintf(stderr, "pim_main: bad argument '%s'\n", a.c_str()); return kSimUsage; }
    i++;
  }
  if (in_path.empty() || out_path.empty()) { std::fprintf(stderr, "pim_main: --in and --out are required\n"); return kSimUsage; }
#if !VM_TRACE
  if (!trace_path.empty()) { std::fprintf(stderr, "pim_main: built without tracing\n"); return kSimUsage; }
#endif

  std::ifstream in(in_path, std::ios::binary);
  uint32_t magic = 0, version = 0, n_instr = 0;
  uint64_t dram_bytes = 0, sbuf_bytes = 0;
  if (!Read(in, &magic) || magic != kJobMagic || !Read(in, &version) || version != 1 || !Read(in, &n_instr) ||
      !Read(in, &dram_bytes) || !Read(in, &sbuf_bytes)) {
    std::fprintf(stderr, "pim_main: %s is not a version-1 job file\n", in_path.c_str());
    return kSimUsage;
  }
  g_job.instr.resize(static_cast<size_t>(n_instr) * 8);
  g_job.dram.resize(dram_bytes);
  g_job.sbuf.resize(sbuf_bytes);
  in.read(reinterpret_cast<char*>(g_job.instr.data()), static_cast<std::streamsize>(g_job.instr.size() * 4));
  in.read(reinterpret_cast<char*>(g_job.dram.data()), static_cast<std::streamsize>(dram_bytes));
  in.read(reinterpret_cast<char*>(g_job.sbuf.data()), static_cast<std::streamsize>(sbuf_bytes));
  if (!in) { std::fprintf(stderr, "pim_main: job file truncated\n"); return kSimUsage; }
  if (!log_path.empty()) g_job.dram_log = std::fopen(log_path.c_str(), "w");

  int rc = kSimOk;
  uint64_t cycles = 0;
  bool err = false;
  auto t0 = std::chrono::steady_clock::now();
  {
    auto ctx = std::make_unique<VerilatedContext>();
    ctx->fatalOnError(false);
    auto top = std::make_unique<Vcd_pim_tb>(ctx.get(), "TOP");
    SimCtrl<Vcd_pim_tb> sim(ctx.get(), top.get(), trace_path);
    top->freeze_dram_i = 0;
    sim.Reset(4);
    uint32_t last_progress = top->progress_o;
    uint64_t last_change = 0;
    while (!top->done_o) {
      top->freeze_dram_i = sim.cycles() >= freeze_at;
      sim.Cycle();
      if (ctx->gotFinish() || ctx->gotError()) { rc = kSimError; break; }
      if (top->progress_o != last_progress) { last_progress = top->progress_o; last_change = sim.cycles(); }
      if (sim.cycles() - last_change > limits.stall_cycles) {
        std::fprintf(stderr, "pim_main: watchdog: no progress for %llu cycles (at cycle %llu)\n",
                     static_cast<unsigned long long>(limits.stall_cycles),
                     static_cast<unsigned long long>(sim.cycles()));
        rc = kSimStalled;
        break;
      }
      if (sim.cycles() >= limits.max_cycles) {
        std::fprintf(stderr, "pim_main: reached --max-cycles %llu\n", static_cast<unsigned long long>(limits.max_cycles));
        rc = kSimTimeout;
        break;
      }
    }
    cycles = sim.cycles();
    err = top->err_o;
    top->final();
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (g_job.dram_log) std::fclose(g_job.dram_log);

  std::ofstream out(out_path, std::ios::binary);
  uint32_t status = static_cast<uint32_t>(rc), err32 = err ? 1 : 0;
  out.write(reinterpret_cast<const char*>(&kResultMagic), 4);
  out.write(reinterpret_cast<const char*>(&status), 4);
  out.write(reinterpret_cast<const char*>(&cycles), 8);
  out.write(reinterpret_cast<const char*>(&wall), 8);
  out.write(reinterpret_cast<const char*>(&err32), 4);
  out.write(reinterpret_cast<const char*>(&g_job.cmd_count[1]), 8 * (kCmdKinds - 1));
  out.write(reinterpret_cast<const char*>(&sbuf_bytes), 8);
  out.write(reinterpret_cast<const char*>(g_job.sbuf.data()), static_cast<std::streamsize>(sbuf_bytes));
  if (!out) { std::fprintf(stderr, "pim_main: cannot write %s\n", out_path.c_str()); return kSimUsage; }
  std::printf("cycles %llu wall_s %.6f\n", static_cast<unsigned long long>(cycles), wall);
  return rc;
}
