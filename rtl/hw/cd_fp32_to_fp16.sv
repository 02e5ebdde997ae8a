// SPDX-License-Identifier: Apache-2.0
// binary32 -> binary16, round to nearest even, with binary16 subnormals, overflow to infinity, canonical NaN.
module cd_fp32_to_fp16 (
  input  logic [31:0] a_i,
  output logic [15:0] h_o
);
  logic signed [9:0] e;      // binary16 biased exponent before subnormal handling
  logic [8:0]  rsh;
  logic [24:0] sig, shifted, mask, gshift;
  logic        guard, sticky, round_up;
  logic [14:0] packed_res;

  always_comb begin
    e        = $signed({2'b0, a_i[30:23]}) - 10'sd112;         // 127 - 15
    sig      = {1'b0, a_i[30:23] != '0, a_i[22:0]};            // 24 significant bits at [23:0]
    // Normal: keep 10 fraction bits (shift 13). Subnormal: shift 13 + (1 - e) more.
    rsh      = (e >= 1) ? 9'd13 : ((e < -10'sd12) ? 9'd25 : 9'(10'sd14 - e));
    mask     = (rsh >= 9'd25) ? '1 : ((25'd1 << rsh) - 25'd1);
    shifted  = (rsh >= 9'd25) ? '0 : (sig >> rsh);
    gshift   = sig >> (rsh - 9'd1);
    guard    = (rsh >= 9'd26) ? 1'b0 : gshift[0];
    sticky   = ((sig & (mask >> 1)) != '0);
    round_up = guard & (sticky | shifted[0]);
    packed_res = {(e >= 1) ? e[4:0] : 5'd0, shifted[9:0]} + {14'b0, round_up};
    if ((a_i[30:23] == 8'hff) && (a_i[22:0] != '0)) h_o = 16'h7E00;
    else if (a_i[30:23] == 8'hff)                    h_o = {a_i[31], 15'h7C00};
    else if (e >= 10'sd31)                           h_o = {a_i[31], 15'h7C00};
    else                                             h_o = {a_i[31], packed_res};
  end

  logic unused;
  assign unused = ^{shifted[24:10], e[9:5], gshift[24:1]};

endmodule
