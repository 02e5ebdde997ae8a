// SPDX-License-Identifier: Apache-2.0
// IEEE 754 binary16 x binary16 -> binary32, exact: an 11x11-bit significand product always fits 24 bits.
module cd_fp16_mul (
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  output logic [31:0] p_o
);

  logic        sign;
  logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  logic [5:0]  xa, xb;     // effective biased exponents (subnormals scale like exponent 1)
  logic [21:0] prod;
  logic [4:0]  lead;
  logic [31:0] s32;
  logic [15:0] s16;
  logic [7:0]  s8;
  logic [3:0]  s4;
  logic [1:0]  s2;
  logic [8:0]  exp_p;
  logic [21:0] norm;

  always_comb begin
    sign   = a_i[15] ^ b_i[15];
    a_nan  = (a_i[14:10] == 5'h1f) && (a_i[9:0] != '0);
    b_nan  = (b_i[14:10] == 5'h1f) && (b_i[9:0] != '0);
    a_inf  = (a_i[14:10] == 5'h1f) && (a_i[9:0] == '0);
    b_inf  = (b_i[14:10] == 5'h1f) && (b_i[9:0] == '0);
    a_zero = a_i[14:0] == '0;
    b_zero = b_i[14:0] == '0;
    xa     = (a_i[14:10] == '0) ? 6'd1 : {1'b0, a_i[14:10]};
    xb     = (b_i[14:10] == '0) ? 6'd1 : {1'b0, b_i[14:10]};
    prod   = {11'b0, a_i[14:10] != '0, a_i[9:0]} * {11'b0, b_i[14:10] != '0, b_i[9:0]};
    // lead = index of the most significant set bit of prod (0 when none), by binary search:
    // five steps for Verilator where a loop over the bits takes 22.
    s32     = {10'b0, prod};
    lead[4] = s32[31:16] != '0;
    s16     = lead[4] ? s32[31:16] : s32[15:0];
    lead[3] = s16[15:8] != '0;
    s8      = lead[3] ? s16[15:8] : s16[7:0];
    lead[2] = s8[7:4] != '0;
    s4      = lead[2] ? s8[7:4] : s8[3:0];
    lead[1] = s4[3:2] != '0;
    s2      = lead[1] ? s4[3:2] : s4[1:0];
    lead[0] = s2[1];
    // value = prod * 2^(xa + xb - 50) = 1.f * 2^(lead + xa + xb - 50); binary32 bias 127.
    exp_p = 9'(lead) + 9'(xa) + 9'(xb) + 9'd77;
    norm  = prod << (5'd21 - lead);
    if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
      p_o = cd_pkg::Fp32QNaN;
    end else if (a_inf || b_inf) begin
      p_o = {sign, 8'hff, 23'b0};
    end else if (a_zero || b_zero) begin
      p_o = {sign, 31'b0};
    end else begin
      p_o = {sign, exp_p[7:0], norm[20:0], 2'b00};
    end
  end

  // exp_p stays within 79..158, so its top bit is always zero; norm[21] is the hidden bit.
  logic unused;
  assign unused = exp_p[8] ^ norm[21] ^ s2[0] ^ (|s32[31:22]);

endmodule
