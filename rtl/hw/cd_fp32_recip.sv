// SPDX-License-Identifier: Apache-2.0
// 1/d in binary32 for positive normal d: an integer seed (0x7EF311C3 - bits(d)) and three Newton-Raphson
// steps y = y * (2 - d*y), each a binary32 multiply and add (so the golden model repeats it op for op).
// Accuracy (FpUnitsRtlTests): within 2 ulp of 1/d on [1, 1e5] (measured worst 1.92). +inf gives +0 (the seed would wrap); other non-normal inputs give whatever the steps give, in both models.
module cd_fp32_recip (
  input  logic        en_i,   // low: output +0 and every unit inside idle (operand isolation)
  input  logic [31:0] d_i,
  output logic [31:0] y_o
);
  localparam logic [31:0] Two = 32'h4000_0000;
  logic [31:0] y [4];
  logic [31:0] dy [3];
  logic [31:0] e [3];

  assign y[0] = 32'h7EF3_11C3 - d_i;
  for (genvar i = 0; i < 3; i++) begin : g_nr
    cd_fp32_mul u_dy (.en_i, .a_i (d_i), .b_i (y[i]), .p_o (dy[i]));
    cd_fp32_add u_e  (.en_i, .a_i (Two), .b_i ({~dy[i][31], dy[i][30:0]}), .s_o (e[i]));
    cd_fp32_mul u_y  (.en_i, .a_i (y[i]), .b_i (e[i]), .p_o (y[i+1]));
  end
  assign y_o = (!en_i || d_i == 32'h7F80_0000) ? 32'h0 : y[3];
endmodule
