// SPDX-License-Identifier: Apache-2.0
// GEMM module (one per pseudo-channel): input buffer, weight beat path, a row of Tokens PUs
// (multipliers, adder tree, accumulator) and an output buffer of partial sums. Three pipeline stages:
// A multiplies, B reduces, C accumulates (the PUs' arithmetic is cd_pkg::fp16_mul and cd_pkg::fp32_add). Accepts one weight beat (Lanes FP16 of one output row) a cycle.
module cd_gemm #(
  parameter  int unsigned Lanes     = 8,
  parameter  int unsigned Tokens    = 2,
  parameter  int unsigned IbufRows  = 64,   // input buffer depth per token and bank, in beats of Lanes FP16
  parameter  int unsigned ObufRows  = 64,   // output rows (n) held as partial sums per token
  localparam int unsigned TokW      = (Tokens > 1) ? $clog2(Tokens) : 1,
  // Two banks of IbufRows: the controller loads one K tile's inputs while the other streams.
  localparam int unsigned IrowW     = ((IbufRows > 1) ? $clog2(IbufRows) : 1) + 1,
  localparam int unsigned OrowW     = (ObufRows > 1) ? $clog2(ObufRows) : 1,
  localparam int unsigned Levels    = $clog2(Lanes)   // adder-tree levels (Lanes is a power of two)
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
  logic [Lanes*32-1:0] prod_q [Tokens];
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
  // Each PU is Lanes binary16 multipliers (stage A), a pairwise binary32 adder tree (stage B) and an
  // accumulator (stage C). The multipliers and trees are written as functions called from the clocked
  // stages below, so Verilator evaluates them only for valid beats (as module instances they were
  // combinational logic re-evaluated every cycle); the hardware is the same.
  function automatic logic [Lanes*32-1:0] products(logic [Lanes*16-1:0] w, logic [Lanes*16-1:0] x);
    for (int l = 0; l < Lanes; l++) products[l*32 +: 32] = cd_pkg::fp16_mul(w[l*16 +: 16], x[l*16 +: 16]);
  endfunction

  // Level by level, neighbours 2i and 2i+1 (the golden model's order), in place: level v writes slots
  // below Lanes >> (v + 1), which later pairs of that level no longer read.
  function automatic logic [31:0] tree_sum(logic [Lanes*32-1:0] leaves);
    logic [Lanes*32-1:0] x;
    x = leaves;
    for (int v = 0; v < Levels; v++) begin
      for (int i = 0; i < Lanes / 2; i++) begin
        if (i < (Lanes >> (v + 1))) x[i*32 +: 32] = cd_pkg::fp32_add(x[(2*i)*32 +: 32], x[(2*i+1)*32 +: 32]);
      end
    end
    tree_sum = x[31:0];
  endfunction

  for (genvar t = 0; t < Tokens; t++) begin : g_pu
    // Stages A and B load only with a valid beat (as do all data registers: idle cycles cost no switching).
    always_ff @(posedge clk_i) begin
      if (ctl_in.valid)  prod_q[t] <= products(beat_data_i, ibuf_q[t][beat_row_i]);
      if (ctl_a_q.valid) tree_q[t] <= tree_sum(prod_q[t]);
    end
    always_comb begin
      if (ctl_b_q.first) base[t] = ctl_b_q.zero_init ? 32'h0 : obuf_q[t][ctl_b_q.orow];
      else               base[t] = acc_q[t];
    end
    cd_fp32_add u_acc (
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
