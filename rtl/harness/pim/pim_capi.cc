// SPDX-License-Identifier: Apache-2.0
// C API of cd_pim_tb as a shared library, for driving the model cycle by cycle from C# in-process
// (PimNative.cs). One model per process at a time: the DPI memories are process-global.
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "Vcd_pim_tb.h"
#include "common/sim_ctrl_impl.h"
#include "pim/pim_job.h"

#define CD_API extern "C" __attribute__((visibility("default")))

namespace {

struct Handle {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vcd_pim_tb> top;
  std::unique_ptr<SimCtrl<Vcd_pim_tb>> sim;
};

}  // namespace

CD_API void* cd_pim_create(const uint8_t* job, uint64_t len) {
  std::string error;
  if (!LoadJob(job, len, &error)) return nullptr;
  auto* h = new Handle;
  h->ctx = std::make_unique<VerilatedContext>();
  h->ctx->fatalOnError(false);
  h->top = std::make_unique<Vcd_pim_tb>(h->ctx.get(), "TOP");
  h->sim = std::make_unique<SimCtrl<Vcd_pim_tb>>(h->ctx.get(), h->top.get(), std::string());
  h->top->freeze_dram_i = 0;
  h->sim->Reset(4);
  return h;
}

// Runs up to max_cycles cycles; 1 = done, 0 = still running, -1 = an assertion or $stop fired.
CD_API int32_t cd_pim_step(void* handle, uint64_t max_cycles, int32_t freeze_dram) {
  auto* h = static_cast<Handle*>(handle);
  h->top->freeze_dram_i = freeze_dram != 0;
  for (uint64_t i = 0; i < max_cycles && !h->top->done_o; i++) {
    h->sim->Cycle();
    if (h->ctx->gotFinish() || h->ctx->gotError()) return -1;
  }
  return h->top->done_o ? 1 : 0;
}

CD_API uint64_t cd_pim_cycles(void* handle) { return static_cast<Handle*>(handle)->sim->cycles(); }
CD_API uint32_t cd_pim_progress(void* handle) { return static_cast<Handle*>(handle)->top->progress_o; }
CD_API int32_t cd_pim_error(void* handle) { return static_cast<Handle*>(handle)->top->err_o ? 1 : 0; }

CD_API void cd_pim_commands(void* /*handle*/, uint64_t* out4) {
  std::memcpy(out4, &g_job.cmd_count[1], 4 * sizeof(uint64_t));
}

// Copies the stack buffer into dst (up to cap bytes); returns its full size.
CD_API uint64_t cd_pim_stack_buffer(void* /*handle*/, uint8_t* dst, uint64_t cap) {
  uint64_t n = g_job.sbuf.size() < cap ? g_job.sbuf.size() : cap;
  if (dst && n) std::memcpy(dst, g_job.sbuf.data(), n);
  return g_job.sbuf.size();
}

CD_API void cd_pim_destroy(void* handle) {
  auto* h = static_cast<Handle*>(handle);
  h->top->final();
  delete h;
}
