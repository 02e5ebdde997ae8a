// SPDX-License-Identifier: Apache-2.0
// One processing unit (one token): Lanes FP16 multipliers feeding a binary32 adder tree (combinational part).
module cd_pu #(
  parameter int unsigned Lanes = 8
) (
  input  logic [Lanes*16-1:0] weight_i,
  input  logic [Lanes*16-1:0] input_i,
  output logic [Lanes*32-1:0] prod_o
);
  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    cd_fp16_mul u_mul (
      .a_i (weight_i[l*16 +: 16]),
      .b_i (input_i[l*16 +: 16]),
      .p_o (prod_o[l*32 +: 32])
    );
  end
endmodule
