// SPDX-License-Identifier: Apache-2.0
// IEEE 754 binary32 adder, round to nearest even, with subnormals, infinities and one canonical quiet NaN.
// The logic is cd_pkg::fp32_add, which the GEMM module also calls from its clocked stages. en_i low holds
// the output at +0 (operand isolation: an idle unit does not switch, and the simulator skips its arithmetic).
module cd_fp32_add (
  input  logic        en_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] s_o
);
  always_comb begin
    s_o = '0;
    if (en_i) s_o = cd_pkg::fp32_add(a_i, b_i);
  end
endmodule
