// SPDX-License-Identifier: Apache-2.0
// IEEE 754 binary32 adder, round to nearest even, with subnormals, infinities and one canonical quiet NaN.
// The logic is cd_pkg::fp32_add, which the GEMM module also calls from its clocked stages.
module cd_fp32_add (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] s_o
);
  assign s_o = cd_pkg::fp32_add(a_i, b_i);
endmodule
