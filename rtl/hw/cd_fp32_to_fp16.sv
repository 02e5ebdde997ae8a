// SPDX-License-Identifier: Apache-2.0
// binary32 -> binary16, round to nearest even, with binary16 subnormals, overflow to infinity, canonical NaN.
// The logic is cd_pkg::fp32_to_fp16. en_i low holds the output at +0 (operand isolation).
module cd_fp32_to_fp16 (
  input  logic        en_i,
  input  logic [31:0] a_i,
  output logic [15:0] h_o
);
  always_comb begin
    h_o = '0;
    if (en_i) h_o = cd_pkg::fp32_to_fp16(a_i);
  end
endmodule
