// SPDX-License-Identifier: Apache-2.0
// exp(x) in binary32 from binary32 adds and multiplies only (so the golden model repeats it op for op):
// x*log2(e) rounded to n by the 1.5*2^23 trick, two-step Cody-Waite reduction r = x - n*ln2, a degree-6
// Taylor polynomial in Horner form, then 2^n into the exponent. Results below 2^-126 flush to +0 and
// above 2^128 go to +inf. Accuracy (FpUnitsRtlTests): within 3 ulp of exp for x in [-87, 88] (measured worst 2.96).
module cd_fp32_exp (
  input  logic        en_i,   // low: output +0 and every unit inside idle (operand isolation)
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);
  localparam logic [31:0] Log2e  = 32'h3FB8_AA3B;  // 1.44269502f
  localparam logic [31:0] Magic  = 32'h4B40_0000;  // 1.5 * 2^23: adding it rounds to an integer
  localparam logic [31:0] MMagic = 32'hCB40_0000;
  localparam logic [31:0] NLn2Hi = 32'hBF31_7200;  // -0.693145752f (ln2 with 16 low bits cleared: n*Ln2Hi exact)
  localparam logic [31:0] NLn2Lo = 32'hB5BF_BE8E;  // -1.42860677e-6f
  localparam logic [31:0] C6 = 32'h3AB6_0B61;      // 1/720
  localparam logic [31:0] C5 = 32'h3C08_8889;      // 1/120
  localparam logic [31:0] C4 = 32'h3D2A_AAAB;      // 1/24
  localparam logic [31:0] C3 = 32'h3E2A_AAAB;      // 1/6
  localparam logic [31:0] C2 = 32'h3F00_0000;      // 1/2
  localparam logic [31:0] One = 32'h3F80_0000;

  logic [31:0] t, tm, nf, nhi, r1, nlo, r;
  logic [31:0] h [12];
  logic signed [31:0] n;
  logic signed [31:0] ex;
  logic x_nan, x_big, x_small;

  cd_fp32_mul u_t   (.en_i, .a_i (x_i), .b_i (Log2e), .p_o (t));
  cd_fp32_add u_tm  (.en_i, .a_i (t), .b_i (Magic), .s_o (tm));
  cd_fp32_add u_nf  (.en_i, .a_i (tm), .b_i (MMagic), .s_o (nf));
  cd_fp32_mul u_nhi (.en_i, .a_i (nf), .b_i (NLn2Hi), .p_o (nhi));
  cd_fp32_add u_r1  (.en_i, .a_i (x_i), .b_i (nhi), .s_o (r1));
  cd_fp32_mul u_nlo (.en_i, .a_i (nf), .b_i (NLn2Lo), .p_o (nlo));
  cd_fp32_add u_r   (.en_i, .a_i (r1), .b_i (nlo), .s_o (r));
  // Horner: ((((((C6 r + C5) r + C4) r + C3) r + C2) r + 1) r + 1.
  cd_fp32_mul u_h0  (.en_i, .a_i (C6),    .b_i (r),  .p_o (h[0]));
  cd_fp32_add u_h1  (.en_i, .a_i (h[0]),  .b_i (C5), .s_o (h[1]));
  cd_fp32_mul u_h2  (.en_i, .a_i (h[1]),  .b_i (r),  .p_o (h[2]));
  cd_fp32_add u_h3  (.en_i, .a_i (h[2]),  .b_i (C4), .s_o (h[3]));
  cd_fp32_mul u_h4  (.en_i, .a_i (h[3]),  .b_i (r),  .p_o (h[4]));
  cd_fp32_add u_h5  (.en_i, .a_i (h[4]),  .b_i (C3), .s_o (h[5]));
  cd_fp32_mul u_h6  (.en_i, .a_i (h[5]),  .b_i (r),  .p_o (h[6]));
  cd_fp32_add u_h7  (.en_i, .a_i (h[6]),  .b_i (C2), .s_o (h[7]));
  cd_fp32_mul u_h8  (.en_i, .a_i (h[7]),  .b_i (r),  .p_o (h[8]));
  cd_fp32_add u_h9  (.en_i, .a_i (h[8]),  .b_i (One), .s_o (h[9]));
  cd_fp32_mul u_h10 (.en_i, .a_i (h[9]),  .b_i (r),  .p_o (h[10]));
  cd_fp32_add u_h11 (.en_i, .a_i (h[10]), .b_i (One), .s_o (h[11]));

  always_comb begin
    {n, ex, x_nan, x_big, x_small} = '0;
    y_o = '0;
    if (en_i) begin
      // The integer n sits in the low mantissa bits of tm (as the two's complement offset from Magic).
      n       = $signed(tm) - $signed(Magic);
      ex      = $signed({24'b0, h[11][30:23]}) + n;
      x_nan   = (x_i[30:23] == 8'hff) && (x_i[22:0] != '0);
      // Beyond these the reduction's n leaves the exponent range: the result is 0 or +inf anyway.
      x_big   = !x_i[31] && (x_i[30:0] > 31'h42B1_7217);   // x > 88.7228
      x_small =  x_i[31] && (x_i[30:0] > 31'h42AE_AC4F);   // x < -87.3365
      if (x_nan)                 y_o = cd_pkg::Fp32QNaN;
      else if (x_big)            y_o = 32'h7F80_0000;
      else if (x_small)          y_o = 32'h0000_0000;
      else if (ex <= 0)          y_o = 32'h0000_0000;
      else if (ex >= 255)        y_o = 32'h7F80_0000;
      else                       y_o = {1'b0, ex[7:0], h[11][22:0]};
    end
  end

  logic unused;
  assign unused = ^{h[11][31], ex[31:8]};

endmodule
