// SPDX-License-Identifier: Apache-2.0
// Test top: the binary32 units side by side, combinational, so C# can check each against its golden model.
module cd_fp_units (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] mul_o,
  output logic [31:0] add_o,
  output logic [31:0] exp_o,
  output logic [31:0] recip_o,
  output logic [15:0] half_o
);
  cd_fp32_mul     u_mul   (.en_i (1'b1), .a_i, .b_i, .p_o (mul_o));
  cd_fp32_add     u_add   (.en_i (1'b1), .a_i, .b_i, .s_o (add_o));
  cd_fp32_exp     u_exp   (.en_i (1'b1), .x_i (a_i), .y_o (exp_o));
  cd_fp32_recip   u_recip (.en_i (1'b1), .d_i (a_i), .y_o (recip_o));
  cd_fp32_to_fp16 u_half  (.en_i (1'b1), .a_i, .h_o (half_o));
endmodule
