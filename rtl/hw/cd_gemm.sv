// SPDX-License-Identifier: Apache-2.0
// GEMM module (one per pseudo-channel): input buffer, weight beat path, a row of Tokens PUs
// (multiplier array, dot-product adder tree, binary32 accumulator) and an output buffer of partial sums.
// Three pipeline stages: A multiplies, B reduces, C accumulates. Accepts one weight beat (Lanes FP16 of one
// output row) a cycle.
module cd_gemm #(
  parameter  int unsigned Lanes     = 8,
  parameter  int unsigned Tokens    = 2,
  parameter  int unsigned IbufRows  = 64,   // input buffer depth per token and bank, in beats of Lanes FP16
  parameter  int unsigned ObufRows  = 64,   // output rows (n) held as partial sums per token
  localparam int unsigned TokW      = (Tokens > 1) ? $clog2(Tokens) : 1,
  // Two banks of IbufRows: the controller loads one K tile's inputs while the other streams.
  localparam int unsigned IrowW     = ((IbufRows > 1) ? $clog2(IbufRows) : 1) + 1,
  localparam int unsigned OrowW     = (ObufRows > 1) ? $clog2(ObufRows) : 1,
  localparam int unsigned Levels    = $clog2(Lanes),  // adder-tree levels (Lanes is a power of two)
  // The tree adds Lanes aligned products as 64-bit two's complement integers: one sign bit, Levels bits of
  // growth, 22 significand bits, and the rest (FracBits) below the largest product's significand.
  localparam int unsigned FracBits  = 41 - Levels,
  localparam int unsigned PW        = cd_pkg::XProdWidth
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // input buffer write port (from the stack buffer)
  input  logic                  ibuf_we_i,
  input  logic [TokW-1:0]       ibuf_token_i,
  input  logic [IrowW-1:0]      ibuf_row_i,
  input  logic [Lanes*16-1:0]   ibuf_data_i,
  // weight beats (from the bank-bundle path), always accepted
  input  logic                  beat_valid_i,
  input  logic [Lanes*16-1:0]   beat_data_i,
  input  logic [IrowW-1:0]      beat_row_i,        // {bank, row} of the input-buffer row paired with this beat
  input  logic                  beat_first_i,      // first beat of an output row in this K tile
  input  logic                  beat_last_i,       // last beat of an output row in this K tile
  input  logic                  beat_zero_init_i,  // first K tile: start from +0, not the partial sum
  input  logic                  beat_final_i,      // last K tile: the row's sums are final
  input  logic [OrowW-1:0]      beat_orow_i,
  // finished output rows: Tokens FP32 values of one n
  output logic                  res_valid_o,
  output logic [OrowW-1:0]      res_orow_o,
  output logic [Tokens*32-1:0]  res_data_o,
  output logic                  busy_o
);
  typedef struct packed {
    logic             valid;
    logic             first;
    logic             last;
    logic             zero_init;
    logic             final_tile;
    logic [OrowW-1:0] orow;
  } ctl_t;

  logic [Lanes*16-1:0] ibuf_q [Tokens][2**IrowW];
  logic [31:0]         obuf_q [Tokens][ObufRows];
  ctl_t                ctl_a_q, ctl_b_q, ctl_in;
  logic [Lanes*PW-1:0] prod_q [Tokens];
  logic [31:0]         tree_q [Tokens];
  logic [31:0]         base   [Tokens];
  logic [31:0]         acc_d  [Tokens];
  logic [31:0]         acc_q  [Tokens];

  // Concatenation in field order (an assignment pattern would be neater, but yosys 0.23 rejects it).
  assign ctl_in = {beat_valid_i, beat_first_i, beat_last_i, beat_zero_init_i, beat_final_i, beat_orow_i};

  ////////////////////
  // Input buffer   //
  ////////////////////
  always_ff @(posedge clk_i) begin
    if (ibuf_we_i) ibuf_q[ibuf_token_i][ibuf_row_i] <= ibuf_data_i;
  end

  ////////////////////
  // PUs            //
  ////////////////////
  // Each PU is Lanes binary16 multipliers (stage A), a dot-product adder tree (stage B) and a binary32
  // accumulator (stage C). The multipliers and the tree are functions called from the clocked stages: the
  // simulator evaluates them only for valid beats (the registers load only then; the hardware is the same).
  function automatic logic [Lanes*PW-1:0] products(logic [Lanes*16-1:0] w, logic [Lanes*16-1:0] x);
    for (int l = 0; l < Lanes; l++) products[l*PW +: PW] = cd_pkg::fp16_xmul(w[l*16 +: 16], x[l*16 +: 16]);
  endfunction

  // The dot-product tree: the sum of the beat's Lanes exact products, rounded once to binary32 (RNE).
  // Each product is aligned to the largest exponent sum among the nonzero ones (emax) and truncated
  // toward zero below 2^(emax - 50 - FracBits); the aligned integers add exactly. Products up to FracBits
  // binades below the largest are therefore exact, and the rest lose less than one unit of the window each
  // (GemmGolden.ErrorBoundFactor). This is the multi-operand integer tree of a fused dot-product unit: one
  // alignment and one rounding per beat where a tree of binary32 adders would normalise and round at
  // every level. Results are never subnormal and never overflow: the biased exponent
  // lead + emax + 77 - FracBits lies in [40, 164] for lead in [0, 62], emax in [2, 60] and 4 to 64 lanes.
  function automatic logic [31:0] dot(logic [Lanes*PW-1:0] p);
    logic             any_special, any_nan, any_pinf, any_ninf, all_nzero;
    logic [5:0]       emax, ex, d;
    logic [21:0]      sig;
    logic [63:0]      mag, total;
    logic [62:0]      norm;   // the leading one (bit 63 after the shift) is implicit
    logic             neg, round_up;
    logic [5:0]       lead;
    any_special = 1'b0;
    for (int l = 0; l < Lanes; l++) any_special = any_special | p[l*PW + PW - 1];
    if (any_special) begin
      // Infinite or NaN products: NaN for a NaN, or infinities of both signs; else the infinity.
      any_nan = 1'b0; any_pinf = 1'b0; any_ninf = 1'b0;
      for (int l = 0; l < Lanes; l++) begin
        if (p[l*PW + PW - 1]) begin
          any_nan  = any_nan | p[l*PW];
          any_pinf = any_pinf | (!p[l*PW] && !p[l*PW + PW - 2]);
          any_ninf = any_ninf | (!p[l*PW] && p[l*PW + PW - 2]);
        end
      end
      if (any_nan || (any_pinf && any_ninf)) dot = cd_pkg::Fp32QNaN;
      else                                   dot = {any_ninf, 8'hff, 23'b0};
    end else begin
      emax = '0;
      for (int l = 0; l < Lanes; l++) begin
        ex   = (p[l*PW +: 22] != '0) ? p[l*PW + 22 +: 6] : 6'd0;
        emax = (ex > emax) ? ex : emax;
      end
      total     = '0;
      all_nzero = 1'b1;
      for (int l = 0; l < Lanes; l++) begin
        sig = p[l*PW +: 22];
        // Zero products may have exponent sums above emax; their significand is 0 whatever the shift.
        d     = emax - p[l*PW + 22 +: 6];
        mag   = ({42'b0, sig} << FracBits) >> d;
        total = total + (p[l*PW + 28] ? -mag : mag);
        all_nzero = all_nzero & (sig == '0) & p[l*PW + 28];
      end
      neg  = total[63];
      mag  = neg ? -total : total;
      lead = cd_pkg::lead_one64(mag);
      norm = 63'(mag << (6'd63 - lead));
      round_up = norm[39] & ((norm[38:0] != '0) | norm[40]);
      if (mag == '0) begin
        // An exact zero is +0 (round to nearest) unless every product is -0.
        dot = {all_nzero, 31'b0};
      end else begin
        // {exponent, fraction} + round carries into the exponent when the fraction rounds up to 2.
        dot = {neg, 8'(lead) + 8'(emax) + 8'(77 - FracBits), norm[62:40]} + {31'b0, round_up};
      end
    end
  endfunction

  for (genvar t = 0; t < Tokens; t++) begin : g_pu
    // Stages A and B load only with a valid beat (as do all data registers: idle cycles cost no switching).
    always_ff @(posedge clk_i) begin
      if (ctl_in.valid)  prod_q[t] <= products(beat_data_i, ibuf_q[t][beat_row_i]);
      if (ctl_a_q.valid) tree_q[t] <= dot(prod_q[t]);
    end
    always_comb begin
      if (ctl_b_q.first) base[t] = ctl_b_q.zero_init ? 32'h0 : obuf_q[t][ctl_b_q.orow];
      else               base[t] = acc_q[t];
    end
    cd_fp32_add u_acc (
      .en_i (ctl_b_q.valid),   // the sum is used (registered, or a result) only with a valid beat
      .a_i (base[t]),
      .b_i (tree_q[t]),
      .s_o (acc_d[t])
    );
    assign res_data_o[t*32 +: 32] = acc_d[t];
  end

  ////////////////////
  // Pipeline       //
  ////////////////////
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ctl_a_q <= '0;
      ctl_b_q <= '0;
    end else begin
      ctl_a_q <= ctl_in;
      ctl_b_q <= ctl_a_q;
    end
  end

  // Data registers load only with a valid beat, so idle cycles cost no switching.
  always_ff @(posedge clk_i) begin
    for (int t = 0; t < Tokens; t++) begin
      if (ctl_b_q.valid) begin
        acc_q[t] <= acc_d[t];
        if (ctl_b_q.last) obuf_q[t][ctl_b_q.orow] <= acc_d[t];
      end
    end
  end

  assign res_valid_o = ctl_b_q.valid && ctl_b_q.last && ctl_b_q.final_tile;
  assign res_orow_o  = ctl_b_q.orow;
  assign busy_o      = ctl_a_q.valid || ctl_b_q.valid;

  ////////////////////
  // Assertions     //
  ////////////////////
  // A row that starts must be the first of its K tile: a partial-sum read of a row still in flight
  // would race the write in stage C.
`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && ctl_a_q.valid && ctl_a_q.first && ctl_b_q.valid && !ctl_b_q.last) begin
      $error("cd_gemm: a new row started before the previous row's last beat");
    end
  end
`endif

endmodule
