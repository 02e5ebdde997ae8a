// SPDX-License-Identifier: Apache-2.0
// One MAC lane: acc + a * b with a, b binary16 and acc binary32; the product is exact, the sum rounds once (RNE).
module cd_mac_lane (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  input  logic [31:0] acc_i,
  output logic [31:0] prod_o,
  output logic [31:0] sum_o
);
  cd_fp16_mul u_mul (.a_i, .b_i, .p_o (prod_o));
  cd_fp32_add u_add (.en_i (1'b1), .a_i (acc_i), .b_i (prod_o), .s_o (sum_o));
endmodule
