// SPDX-License-Identifier: Apache-2.0
// IEEE 754 binary32 multiplier, round to nearest even, with subnormals, infinities and one canonical NaN.
// The logic is cd_pkg::fp32_mul. en_i low holds the output at +0 (operand isolation: an idle unit does not
// switch, and the simulator skips its arithmetic).
module cd_fp32_mul (
  input  logic        en_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] p_o
);
  always_comb begin
    p_o = '0;
    if (en_i) p_o = cd_pkg::fp32_mul(a_i, b_i);
  end
endmodule
