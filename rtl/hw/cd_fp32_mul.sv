// SPDX-License-Identifier: Apache-2.0
// IEEE 754 binary32 multiplier, round to nearest even, with subnormals, infinities and one canonical NaN.
module cd_fp32_mul (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] p_o
);
  logic        sign, a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  logic [8:0]  xa, xb;
  logic [47:0] prod, norm, shifted, smask;
  logic [5:0]  lead;
  logic signed [10:0] e;
  logic [8:0]  rsh;
  logic        guard, sticky, round_up;
  logic [30:0] packed_res;
  logic [7:0]  e_field;

  always_comb begin
    sign   = a_i[31] ^ b_i[31];
    a_nan  = (a_i[30:23] == 8'hff) && (a_i[22:0] != '0);
    b_nan  = (b_i[30:23] == 8'hff) && (b_i[22:0] != '0);
    a_inf  = (a_i[30:23] == 8'hff) && (a_i[22:0] == '0);
    b_inf  = (b_i[30:23] == 8'hff) && (b_i[22:0] == '0);
    a_zero = a_i[30:0] == '0;
    b_zero = b_i[30:0] == '0;
    xa     = (a_i[30:23] == '0) ? 9'd1 : {1'b0, a_i[30:23]};
    xb     = (b_i[30:23] == '0) ? 9'd1 : {1'b0, b_i[30:23]};
    prod   = {24'b0, a_i[30:23] != '0, a_i[22:0]} * {24'b0, b_i[30:23] != '0, b_i[22:0]};
    // Binary search for the leading one: six steps where a loop over the 48 bits costs the simulator 48.
    lead   = cd_pkg::lead_one64({16'b0, prod});
    // value = prod * 2^(xa + xb - 300) = 1.f * 2^(lead + xa + xb - 300); bias 127.
    e      = 11'(lead) + 11'(xa) + 11'(xb) - 11'sd173;
    norm   = prod << (6'd47 - lead);
    // Results below the normal range shift right into a subnormal, keeping what falls off as sticky.
    rsh     = (e < 1) ? ((e < -11'sd48) ? 9'd49 : 9'(11'sd1 - e)) : 9'd0;
    smask   = (rsh >= 9'd48) ? '1 : ((48'd1 << rsh) - 48'd1);
    shifted = (rsh >= 9'd48) ? '0 : (norm >> rsh);
    e_field = (e < 1) ? 8'd0 : e[7:0];
    guard   = shifted[23];
    sticky  = (shifted[22:0] != '0) || ((norm & smask) != '0);
    round_up   = guard & (sticky | shifted[24]);
    packed_res = {e_field, shifted[46:24]} + {30'b0, round_up};
    if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
      p_o = cd_pkg::Fp32QNaN;
    end else if (a_inf || b_inf) begin
      p_o = {sign, 8'hff, 23'b0};
    end else if (a_zero || b_zero) begin
      p_o = {sign, 31'b0};
    end else if (e >= 11'sd255) begin
      p_o = {sign, 8'hff, 23'b0};
    end else begin
      p_o = {sign, packed_res};
    end
  end

  // shifted[47] is the hidden bit (zero for subnormals); the exponent field already encodes it.
  logic unused;
  assign unused = shifted[47];

endmodule
