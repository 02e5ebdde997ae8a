// SPDX-License-Identifier: Apache-2.0
// Shared simulation control for Verilated Logic-PIM tops: clocking, reset, tracing, limits and watchdog.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "verilated.h"

// Exit codes every harness uses; CoDesign.Rtl maps them to results and errors.
enum SimExit : int { kSimOk = 0, kSimError = 1, kSimTimeout = 2, kSimStalled = 3, kSimUsage = 4 };

struct SimLimits {
  uint64_t max_cycles = 2000000000ull;  // hard ceiling on simulated cycles
  uint64_t stall_cycles = 100000;       // no progress for this long = a stuck model
};

// Drives one Verilated top with clk_i / rst_ni. Top must expose clk_i and rst_ni.
template <typename Top>
class SimCtrl {
 public:
  SimCtrl(VerilatedContext* ctx, Top* top, const std::string& trace_path);
  ~SimCtrl();
  void Reset(int cycles);
  void Cycle();  // one rising edge, inputs already set
  uint64_t cycles() const { return cycles_; }

 private:
  VerilatedContext* ctx_;
  Top* top_;
  uint64_t cycles_ = 0;
  void* trace_ = nullptr;
  void Dump();
};

bool ParseU64(const char* s, uint64_t* out);
