// SPDX-License-Identifier: Apache-2.0
// Template bodies of SimCtrl; included once by each harness after its Verilated top header.
#pragma once
#include "sim_ctrl.h"
#if VM_TRACE
#include "verilated_fst_c.h"
#endif

template <typename Top>
SimCtrl<Top>::SimCtrl(VerilatedContext* ctx, Top* top, const std::string& trace_path)
    : ctx_(ctx), top_(top) {
#if VM_TRACE
  if (!trace_path.empty()) {
    ctx_->traceEverOn(true);
    auto* fst = new VerilatedFstC;
    top_->trace(fst, 99);
    fst->open(trace_path.c_str());
    trace_ = fst;
  }
#else
  (void)trace_path;
#endif
}

template <typename Top>
SimCtrl<Top>::~SimCtrl() {
#if VM_TRACE
  if (trace_) {
    auto* fst = static_cast<VerilatedFstC*>(trace_);
    fst->close();
    delete fst;
  }
#endif
}

template <typename Top>
void SimCtrl<Top>::Dump() {
#if VM_TRACE
  if (trace_) static_cast<VerilatedFstC*>(trace_)->dump(ctx_->time());
#endif
}

template <typename Top>
void SimCtrl<Top>::Reset(int cycles) {
  top_->rst_ni = 0;
  for (int i = 0; i < cycles; i++) {
    top_->clk_i = 0; top_->eval(); ctx_->timeInc(1); Dump();
    top_->clk_i = 1; top_->eval(); ctx_->timeInc(1); Dump();
  }
  top_->rst_ni = 1;
  top_->clk_i = 0; top_->eval();
}

template <typename Top>
void SimCtrl<Top>::Cycle() {
  top_->clk_i = 0; top_->eval(); ctx_->timeInc(1); Dump();
  top_->clk_i = 1; top_->eval(); ctx_->timeInc(1); Dump();
  cycles_++;
}
