// SPDX-License-Identifier: Apache-2.0
// IEEE 754 binary32 adder, round to nearest even, with subnormals, infinities and one canonical quiet NaN.
module cd_fp32_add (
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] s_o
);

  logic        a_nan, b_nan, a_inf, b_inf;
  logic [31:0] hi_op, lo_op;
  logic [7:0]  xe_hi, xe_lo, d;
  logic [26:0] sig_hi, sig_lo, aligned, mask;
  logic        sub;
  logic [27:0] sum;
  logic [4:0]  lead;
  logic [31:0] s32;
  logic [15:0] s16;
  logic [7:0]  s8;
  logic [3:0]  s4;
  logic [1:0]  s2;
  logic [7:0]  lz;
  logic [26:0] norm;
  logic [8:0]  e;
  logic        round_up;
  logic [30:0] packed_res;

  always_comb begin
    a_nan = (a_i[30:23] == 8'hff) && (a_i[22:0] != '0);
    b_nan = (b_i[30:23] == 8'hff) && (b_i[22:0] != '0);
    a_inf = (a_i[30:23] == 8'hff) && (a_i[22:0] == '0);
    b_inf = (b_i[30:23] == 8'hff) && (b_i[22:0] == '0);
    // The larger magnitude sets the sign and the exponent of the result.
    if (a_i[30:0] >= b_i[30:0]) begin
      hi_op = a_i; lo_op = b_i;
    end else begin
      hi_op = b_i; lo_op = a_i;
    end
    xe_hi    = (hi_op[30:23] == '0) ? 8'd1 : hi_op[30:23];
    xe_lo  = (lo_op[30:23] == '0) ? 8'd1 : lo_op[30:23];
    // Three extra bits: guard, round, sticky.
    sig_hi   = {hi_op[30:23] != '0, hi_op[22:0], 3'b000};
    sig_lo = {lo_op[30:23] != '0, lo_op[22:0], 3'b000};
    d         = xe_hi - xe_lo;
    mask      = '0;
    if (d >= 8'd27) begin
      aligned = {26'b0, sig_lo != '0};
    end else begin
      mask    = (27'd1 << d) - 27'd1;
      aligned = sig_lo >> d;
      aligned[0] = aligned[0] | ((sig_lo & mask) != '0);
    end
    sub = hi_op[31] ^ lo_op[31];
    sum = sub ? ({1'b0, sig_hi} - {1'b0, aligned}) : ({1'b0, sig_hi} + {1'b0, aligned});
    // lead = index of the most significant set bit of sum[26:0] (0 when none), by binary search:
    // five steps for Verilator where a loop over the bits takes 27.
    s32     = {5'b0, sum[26:0]};
    lead[4] = s32[31:16] != '0;
    s16     = lead[4] ? s32[31:16] : s32[15:0];
    lead[3] = s16[15:8] != '0;
    s8      = lead[3] ? s16[15:8] : s16[7:0];
    lead[2] = s8[7:4] != '0;
    s4      = lead[2] ? s8[7:4] : s8[3:0];
    lead[1] = s4[3:2] != '0;
    s2      = lead[1] ? s4[3:2] : s4[1:0];
    lead[0] = s2[1];
    lz = 8'd26 - 8'(lead);
    if (sum[27]) begin
      norm = {sum[27:2], sum[1] | sum[0]};
      e    = 9'(xe_hi) + 9'd1;
    end else if (xe_hi > lz) begin
      norm = sum[26:0] << lz;
      e    = 9'(xe_hi) - 9'(lz);
    end else begin
      // Subnormal result: scale as exponent 1 and encode exponent 0. Only cancellation gets here,
      // and cancellation leaves the low bits exact, so no sticky information is lost by the shift.
      norm = sum[26:0] << (xe_hi - 8'd1);
      e    = '0;
    end
    round_up   = norm[2] & (norm[1] | norm[0] | norm[3]);
    // Adding the round bit to {exponent, fraction} carries into the exponent (and up to infinity) for free.
    packed_res = {e[7:0], norm[25:3]} + {30'b0, round_up};

    if (a_nan || b_nan || (a_inf && b_inf && (a_i[31] != b_i[31]))) begin
      s_o = cd_pkg::Fp32QNaN;
    end else if (a_inf) begin
      s_o = a_i;
    end else if (b_inf) begin
      s_o = b_i;
    end else if (sum == '0) begin
      // Exact zero: +0 under round-to-nearest unless both addends are -0.
      s_o = {a_i[31] & b_i[31], 31'b0};
    end else if (e >= 9'd255) begin
      s_o = {hi_op[31], 8'hff, 23'b0};
    end else begin
      s_o = {hi_op[31], packed_res};
    end
  end

  // norm[26] is the hidden bit: the exponent field already says whether it is set.
  logic unused;
  assign unused = norm[26] ^ s2[0] ^ (|s32[31:27]);

endmodule
