// SPDX-License-Identifier: Apache-2.0
// Harness of cd_pim_tb: reads a binary job (instructions, DRAM image, stack-buffer image), runs the model to
// completion and writes the stack buffer back with cycle and DRAM-command counts (framing: PimJob.cs).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "Vcd_pim_tb.h"
#include "pim/pim_job.h"
#include "common/sim_ctrl_impl.h"

namespace {

std::vector<uint8_t> ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  *ok = static_cast<bool>(in) || in.eof();
  return bytes;
}

}  // namespace

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

  bool read_ok = false;
  std::vector<uint8_t> bytes = ReadFile(in_path, &read_ok);
  std::string error;
  if (!read_ok || !LoadJob(bytes.data(), bytes.size(), &error)) {
    std::fprintf(stderr, "pim_main: %s: %s\n", in_path.c_str(), read_ok ? error.c_str() : "cannot read");
    return kSimUsage;
  }
  uint64_t sbuf_bytes = g_job.sbuf.size();
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
