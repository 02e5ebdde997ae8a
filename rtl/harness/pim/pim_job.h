// SPDX-License-Identifier: Apache-2.0
// The job a cd_pim_tb model runs (instructions, DRAM and stack-buffer images) and the DPI state behind it.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

constexpr uint32_t kJobMagic = 0x49504443;     // "CDPI"
constexpr uint32_t kResultMagic = 0x4f504443;  // "CDPO"
constexpr int kCmdKinds = 5;                   // index 1..4 = ACT, RD, PRE, REF

struct PimJob {
  std::vector<uint32_t> instr;
  std::vector<uint8_t> dram;
  std::vector<uint8_t> sbuf;
  uint64_t cmd_count[kCmdKinds] = {};
  FILE* dram_log = nullptr;
};

// The one job the DPI functions serve (a process, or a loaded library, runs one model at a time).
extern PimJob g_job;

// Parses the version-1 job framing (PimJob.cs) into g_job; false with a message when malformed.
bool LoadJob(const uint8_t* data, size_t len, std::string* error);
