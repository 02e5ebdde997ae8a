// SPDX-License-Identifier: Apache-2.0
// Shared Logic-PIM definitions: the fixed 256-bit instruction layout (mirror of pim.proto / PimEncoding.cs).
package cd_pkg;

  // One instruction = eight little-endian 32-bit words; word 0 bits [7:0] hold the opcode.
  localparam int unsigned InstrWords = 8;
  localparam int unsigned InstrWidth = InstrWords * 32;

  typedef enum logic [7:0] {
    OpUnspecified = 8'd0,
    OpGemm        = 8'd1,
    OpSoftmax     = 8'd2,
    OpSilu        = 8'd3
  } opcode_e;

  // Packed structs list the most significant field first, so word 7 comes first here.
  typedef struct packed {
    logic [31:0] reserved;
    logic [31:0] output_addr;  // byte address in the stack buffer (results, FP32)
    logic [31:0] input_addr;   // byte address in the stack buffer (activations, FP16)
    logic [31:0] weight_addr;  // byte address in the pseudo-channel's bank-bundle space (FP16)
    logic [31:0] n;            // output features
    logic [31:0] k;            // reduction length
    logic [31:0] m;            // tokens
    logic [23:0] flags;
    opcode_e     opcode;
  } instr_t;

  localparam logic [31:0] Fp32QNaN = 32'h7FC0_0000;  // the one NaN every unit emits

  // IEEE 754 binary16 x binary16 -> binary32, exact (cd_fp16_mul wraps this; the GEMM module calls it from
  // its clocked stage so that Verilator evaluates it only for valid beats).
  // Index of the most significant set bit of v (0 when none), by binary search: five steps where a
  // loop over the bits costs the simulator one step per bit.
  function automatic logic [4:0] lead_one32(logic [31:0] v);
    logic [4:0]  lead;
    logic [15:0] s16;
    logic [7:0]  s8;
    logic [3:0]  s4;
    logic [1:0]  s2;
    lead[4] = v[31:16] != '0;
    s16     = lead[4] ? v[31:16] : v[15:0];
    lead[3] = s16[15:8] != '0;
    s8      = lead[3] ? s16[15:8] : s16[7:0];
    lead[2] = s8[7:4] != '0;
    s4      = lead[2] ? s8[7:4] : s8[3:0];
    lead[1] = s4[3:2] != '0;
    s2      = lead[1] ? s4[3:2] : s4[1:0];
    lead[0] = s2[1];
    lead_one32 = lead;
  endfunction

  // Products of two normal operands (all but a few in practice) have their leading one at bit 21 or 20 of the
  // 22-bit significand product, so they normalise with one 2:1 mux; only subnormal, zero, infinite and NaN
  // operands take the general path with the leading-one search. Both paths are the same arithmetic; the
  // split lets the simulator skip the general path on most beats, and synthesis builds both behind a mux.
  function automatic logic [31:0] fp16_mul(logic [15:0] a, logic [15:0] b);
    logic        sign;
    logic [4:0]  ea, eb;
    logic [21:0] prod;
    logic        top;
    logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
    logic [5:0]  xa, xb;     // effective biased exponents (subnormals scale like exponent 1)
    logic [4:0]  lead;
    logic [8:0]  exp_p;
    logic [21:0] norm;
    sign = a[15] ^ b[15];
    ea   = a[14:10];
    eb   = b[14:10];
    prod = {11'b0, ea != '0, a[9:0]} * {11'b0, eb != '0, b[9:0]};
    top  = prod[21];
    if ((ea != '0) && (eb != '0) && (ea != 5'h1f) && (eb != 5'h1f)) begin
      // value = prod * 2^(ea + eb - 50) with prod in [2^20, 2^22): biased exponent ea + eb + 97 + top.
      fp16_mul = {sign, 8'(ea) + 8'(eb) + 8'd97 + 8'(top),
                  top ? {prod[20:0], 2'b00} : {prod[19:0], 3'b000}};
    end else begin
      a_nan  = (ea == 5'h1f) && (a[9:0] != '0);
      b_nan  = (eb == 5'h1f) && (b[9:0] != '0);
      a_inf  = (ea == 5'h1f) && (a[9:0] == '0);
      b_inf  = (eb == 5'h1f) && (b[9:0] == '0);
      a_zero = a[14:0] == '0;
      b_zero = b[14:0] == '0;
      xa     = (ea == '0) ? 6'd1 : {1'b0, ea};
      xb     = (eb == '0) ? 6'd1 : {1'b0, eb};
      lead   = lead_one32({10'b0, prod});
      // value = prod * 2^(xa + xb - 50) = 1.f * 2^(lead + xa + xb - 50); binary32 bias 127.
      exp_p  = 9'(lead) + 9'(xa) + 9'(xb) + 9'd77;
      norm   = prod << (5'd21 - lead);
      if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
        fp16_mul = Fp32QNaN;
      end else if (a_inf || b_inf) begin
        fp16_mul = {sign, 8'hff, 23'b0};
      end else if (a_zero || b_zero) begin
        fp16_mul = {sign, 31'b0};
      end else begin
        fp16_mul = {sign, exp_p[7:0], norm[20:0], 2'b00};
      end
    end
  endfunction

  // IEEE 754 binary32 adder, round to nearest even (cd_fp32_add wraps this). Normalisation has a fast path:
  // a carry out (right shift by one), a leading one in place, or one place lower with a normal larger
  // operand (left shift by one) cover every addition and every subtraction whose exponents differ by two or
  // more; only cancellation and subnormal results search for the leading one.
  function automatic logic [31:0] fp32_add(logic [31:0] a, logic [31:0] b);
    logic        swap;
    logic [31:0] hi_op, lo_op;
    logic [7:0]  eh, el, xe_hi, xe_lo, d;
    logic [4:0]  sh;
    logic [26:0] sig_hi, sig_lo, aligned;
    logic        sub;
    logic [27:0] sum;
    logic [4:0]  lead;
    logic [7:0]  lz;
    logic [26:0] norm;
    logic [8:0]  e;
    logic        round_up;
    logic [30:0] packed_res;
    if ((a[30:23] == 8'hff) || (b[30:23] == 8'hff)) begin
      // Infinity or NaN in: NaN for a NaN or for infinities of opposite signs, else the infinity.
      if (((a[30:23] == 8'hff) && (a[22:0] != '0)) || ((b[30:23] == 8'hff) && (b[22:0] != '0))
          || ((a[30:0] == b[30:0]) && (a[31] != b[31]))) fp32_add = Fp32QNaN;
      else if (a[30:23] == 8'hff) fp32_add = a;
      else fp32_add = b;
    end else begin
      // The larger magnitude sets the sign and the exponent of the result.
      swap  = a[30:0] < b[30:0];
      hi_op = swap ? b : a;
      lo_op = swap ? a : b;
      eh    = hi_op[30:23];
      el    = lo_op[30:23];
      xe_hi = (eh == '0) ? 8'd1 : eh;
      xe_lo = (el == '0) ? 8'd1 : el;
      // Three extra bits: guard, round, sticky.
      sig_hi  = {eh != '0, hi_op[22:0], 3'b000};
      sig_lo  = {el != '0, lo_op[22:0], 3'b000};
      d       = xe_hi - xe_lo;
      sh      = (d > 8'd27) ? 5'd27 : d[4:0];
      aligned = sig_lo >> sh;
      aligned[0] = aligned[0] | ((sig_lo & ~(27'h7ff_ffff << sh)) != '0);
      sub = hi_op[31] ^ lo_op[31];
      sum = sub ? ({1'b0, sig_hi} - {1'b0, aligned}) : ({1'b0, sig_hi} + {1'b0, aligned});
      if (sum[27]) begin
        norm = {sum[27:2], sum[1] | sum[0]};
        e    = 9'(xe_hi) + 9'd1;
      end else if (sum[26]) begin
        norm = sum[26:0];
        e    = 9'(xe_hi);
      end else if (sum[25] && (xe_hi > 8'd1)) begin
        norm = {sum[25:0], 1'b0};
        e    = 9'(xe_hi) - 9'd1;
      end else begin
        lead = lead_one32({5'b0, sum[26:0]});
        lz   = 8'd26 - 8'(lead);
        if (xe_hi > lz) begin
          norm = sum[26:0] << lz;
          e    = 9'(xe_hi) - 9'(lz);
        end else begin
          // Subnormal result: scale as exponent 1 and encode exponent 0. Only cancellation gets here,
          // and cancellation leaves the low bits exact, so no sticky information is lost by the shift.
          norm = sum[26:0] << (xe_hi - 8'd1);
          e    = '0;
        end
      end
      round_up   = norm[2] & (norm[1] | norm[0] | norm[3]);
      // Adding the round bit to {exponent, fraction} carries into the exponent (and up to infinity) for free.
      packed_res = {e[7:0], norm[25:3]} + {30'b0, round_up};
      if (sum == '0) begin
        // Exact zero: +0 under round-to-nearest unless both addends are -0.
        fp32_add = {a[31] & b[31], 31'b0};
      end else if (e >= 9'd255) begin
        fp32_add = {hi_op[31], 8'hff, 23'b0};
      end else begin
        fp32_add = {hi_op[31], packed_res};
      end
    end
  endfunction

  // One lane of the GEMM module's multiplier array: the exact binary16 x binary16 product, left unnormalised
  // because the dot-product tree aligns it anyway. Fields, MSB first: special (an operand is infinite or NaN),
  // sign, exponent sum x (6 bits; subnormals count as exponent 1), significand product (22 bits); the value
  // is sig * 2^(x - 50). A special lane's significand field is 1 for NaN (a NaN operand, or infinity times
  // zero) and 0 for an infinity.
  localparam int unsigned XProdWidth = 30;

  function automatic logic [XProdWidth-1:0] fp16_xmul(logic [15:0] a, logic [15:0] b);
    logic [4:0] ea, eb;
    logic       a_nan, b_nan, a_zero, b_zero;
    ea = a[14:10];
    eb = b[14:10];
    if ((ea == 5'h1f) || (eb == 5'h1f)) begin
      a_nan  = (ea == 5'h1f) && (a[9:0] != '0);
      b_nan  = (eb == 5'h1f) && (b[9:0] != '0);
      a_zero = a[14:0] == '0;
      b_zero = b[14:0] == '0;
      fp16_xmul = {1'b1, a[15] ^ b[15], 6'd0, 21'd0, a_nan || b_nan || a_zero || b_zero};
    end else begin
      fp16_xmul = {1'b0, a[15] ^ b[15], 6'(ea) + 6'(eb) + 6'(ea == '0) + 6'(eb == '0),
                   22'({11'b0, ea != '0, a[9:0]} * {11'b0, eb != '0, b[9:0]})};
    end
  endfunction

  // Index of the most significant set bit of a 64-bit value (0 when none).
  function automatic logic [5:0] lead_one64(logic [63:0] v);
    lead_one64 = (v[63:32] != '0) ? {1'b1, lead_one32(v[63:32])} : {1'b0, lead_one32(v[31:0])};
  endfunction

  // IEEE 754 binary32 multiplier, round to nearest even, with subnormals (cd_fp32_mul wraps this).
  // shifted[47] is the hidden bit (zero for subnormals); the exponent field already encodes it.
  function automatic logic [31:0] fp32_mul(logic [31:0] a, logic [31:0] b);
    logic        sign, a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
    logic [8:0]  xa, xb;
    logic [47:0] prod, norm, shifted, smask;
    logic [5:0]  lead;
    logic signed [10:0] e;
    logic [8:0]  rsh;
    logic        guard, sticky, round_up;
    logic [30:0] packed_res;
    logic [7:0]  e_field;
    sign   = a[31] ^ b[31];
    a_nan  = (a[30:23] == 8'hff) && (a[22:0] != '0);
    b_nan  = (b[30:23] == 8'hff) && (b[22:0] != '0);
    a_inf  = (a[30:23] == 8'hff) && (a[22:0] == '0);
    b_inf  = (b[30:23] == 8'hff) && (b[22:0] == '0);
    a_zero = a[30:0] == '0;
    b_zero = b[30:0] == '0;
    xa     = (a[30:23] == '0) ? 9'd1 : {1'b0, a[30:23]};
    xb     = (b[30:23] == '0) ? 9'd1 : {1'b0, b[30:23]};
    prod   = {24'b0, a[30:23] != '0, a[22:0]} * {24'b0, b[30:23] != '0, b[22:0]};
    // Binary search for the leading one: six steps where a loop over the 48 bits costs the simulator 48.
    lead   = lead_one64({16'b0, prod});
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
      fp32_mul = Fp32QNaN;
    end else if (a_inf || b_inf) begin
      fp32_mul = {sign, 8'hff, 23'b0};
    end else if (a_zero || b_zero) begin
      fp32_mul = {sign, 31'b0};
    end else if (e >= 11'sd255) begin
      fp32_mul = {sign, 8'hff, 23'b0};
    end else begin
      fp32_mul = {sign, packed_res};
    end
  endfunction

  // binary32 -> binary16, round to nearest even, with binary16 subnormals, overflow to infinity, canonical NaN
  // (cd_fp32_to_fp16 wraps this).
  function automatic logic [15:0] fp32_to_fp16(logic [31:0] a);
    logic signed [9:0] e;      // binary16 biased exponent before subnormal handling
    logic [8:0]  rsh;
    logic [24:0] sig, shifted, mask, gshift;
    logic        guard, sticky, round_up;
    logic [14:0] packed_res;
    e        = $signed({2'b0, a[30:23]}) - 10'sd112;         // 127 - 15
    sig      = {1'b0, a[30:23] != '0, a[22:0]};            // 24 significant bits at [23:0]
    // Normal: keep 10 fraction bits (shift 13). Subnormal: shift 13 + (1 - e) more.
    rsh      = (e >= 1) ? 9'd13 : ((e < -10'sd12) ? 9'd25 : 9'(10'sd14 - e));
    mask     = (rsh >= 9'd25) ? '1 : ((25'd1 << rsh) - 25'd1);
    shifted  = (rsh >= 9'd25) ? '0 : (sig >> rsh);
    gshift   = sig >> (rsh - 9'd1);
    guard    = (rsh >= 9'd26) ? 1'b0 : gshift[0];
    sticky   = ((sig & (mask >> 1)) != '0);
    round_up = guard & (sticky | shifted[0]);
    packed_res = {(e >= 1) ? e[4:0] : 5'd0, shifted[9:0]} + {14'b0, round_up};
    if ((a[30:23] == 8'hff) && (a[22:0] != '0)) fp32_to_fp16 = 16'h7E00;
    else if (a[30:23] == 8'hff)                 fp32_to_fp16 = {a[31], 15'h7C00};
    else if (e >= 10'sd31)                      fp32_to_fp16 = {a[31], 15'h7C00};
    else                                        fp32_to_fp16 = {a[31], packed_res};
  endfunction

endpackage
