// SPDX-License-Identifier: Apache-2.0
// IEEE 754 binary16 x binary16 -> binary32, exact: an 11x11-bit significand product always fits 24 bits.
// The logic is cd_pkg::fp16_mul, which the GEMM module also calls from its clocked stage.
module cd_fp16_mul (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  output logic [31:0] p_o
);
  assign p_o = cd_pkg::fp16_mul(a_i, b_i);
endmodule
