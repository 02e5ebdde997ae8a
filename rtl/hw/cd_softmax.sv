// SPDX-License-Identifier: Apache-2.0
// Softmax unit: per row of Len binary32 scores, a max pass, an exp-and-sum pass (Lanes exp units, the
// Lanes exponentials of a cycle summed by a pairwise tree, then added to the running sum), one reciprocal
// of the sum, and a normalise pass writing binary16 probabilities. Lanes elements a cycle in each pass, so
// a row takes about 3 * Len / Lanes cycles. Exponent accuracy: see cd_fp32_exp.
module cd_softmax #(
  parameter  int unsigned MaxLen = 1024,
  parameter  int unsigned Lanes  = 4,
  localparam int unsigned Rows   = MaxLen / Lanes,
  localparam int unsigned RowW   = (Rows > 1) ? $clog2(Rows) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               start_i,
  input  logic [31:0]        rows_i,
  input  logic [31:0]        len_i,
  input  logic [31:0]        in_addr_i,     // binary32 [rows][len]
  input  logic [31:0]        out_addr_i,    // binary16 [rows][len]
  output logic               busy_o,
  output logic               rd_o,
  output logic [31:0]        rd_addr_o,     // Lanes consecutive binary32 from here
  input  logic [Lanes*32-1:0] rd_data_i,    // one cycle after rd_o
  output logic               wr_o,
  output logic [31:0]        wr_addr_o,
  output logic [Lanes-1:0]   wr_mask_o,
  output logic [Lanes*16-1:0] wr_data_o
);
  typedef enum logic [2:0] { StIdle, StMax, StExp, StRecip, StNorm } state_e;

  state_e      state_q;
  logic [31:0] rows_q, len_q, in_q, out_q, row_q, i_q, pend_i_q;
  logic        pend_q;
  logic [31:0] max_q, sum_q, recip_q, group_max, tree, sum_d, recip_d;
  logic [Lanes*32-1:0] ebuf [Rows];
  logic [Lanes*32-1:0] e_all, e_masked;
  logic        issue, last;
  // Each group of units is enabled only in the cycles whose result is used (operand isolation: idle units do
  // not switch, and the simulator skips their arithmetic): exp, tree and sum when read data arrives in the exp
  // pass, the reciprocal in its state, the normalisers when they write.
  logic        en_exp, en_recip;

  assign busy_o    = state_q != StIdle;
  assign issue     = (state_q == StMax || state_q == StExp) && i_q < len_q;
  assign rd_o      = issue;
  assign rd_addr_o = in_q + (row_q * len_q + i_q) * 4;
  assign last      = i_q >= len_q && !pend_q;
  assign en_exp    = state_q == StExp && pend_q;
  assign en_recip  = state_q == StRecip;

  // Order binary32 values as unsigned keys; NaN wins so that it propagates.
  // (Assigns the function name rather than using return: yosys 0.23 does not parse return.)
  function automatic logic [32:0] fkey(logic [31:0] f);
    if (f[30:23] == 8'hff && f[22:0] != '0) fkey = 33'h1_FFFF_FFFF;
    else fkey = {1'b0, f[31] ? ~f : (f | 32'h8000_0000)};
  endfunction

  always_comb begin
    group_max = max_q;
    for (int l = 0; l < Lanes; l++) begin
      if (pend_i_q + l < len_q && fkey(rd_data_i[l*32 +: 32]) > fkey(group_max)) group_max = rd_data_i[l*32 +: 32];
    end
  end

  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    logic [31:0] diff, prob;
    cd_fp32_add u_diff (.en_i (en_exp), .a_i (rd_data_i[l*32 +: 32]), .b_i ({~max_q[31], max_q[30:0]}), .s_o (diff));
    cd_fp32_exp u_exp  (.en_i (en_exp), .x_i (diff), .y_o (e_all[l*32 +: 32]));
    // Lanes past the row's end contribute +0, which leaves the sum of non-negative terms unchanged.
    assign e_masked[l*32 +: 32] = (pend_i_q + l < len_q) ? e_all[l*32 +: 32] : 32'h0;
    cd_fp32_mul u_norm (.en_i (wr_o), .a_i (ebuf[RowW'(i_q / Lanes)][l*32 +: 32]), .b_i (recip_q), .p_o (prob));
    cd_fp32_to_fp16 u_h (.en_i (wr_o), .a_i (prob), .h_o (wr_data_o[l*16 +: 16]));
    assign wr_mask_o[l] = i_q + l < len_q;
  end

  cd_adder_tree #(.Leaves(Lanes)) u_tree (.en_i (en_exp), .leaves_i (e_masked), .sum_o (tree));
  cd_fp32_add   u_sum   (.en_i (en_exp), .a_i (sum_q), .b_i (tree), .s_o (sum_d));
  cd_fp32_recip u_recip (.en_i (en_recip), .d_i (sum_q), .y_o (recip_d));

  assign wr_o      = state_q == StNorm && i_q < len_q;
  assign wr_addr_o = out_q + (row_q * len_q + i_q) * 2;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      {rows_q, len_q, in_q, out_q, row_q, i_q, pend_i_q, max_q, sum_q, recip_q} <= '0;
      pend_q <= 1'b0;
    end else begin
      pend_q   <= issue;
      pend_i_q <= i_q;
      if (issue) i_q <= i_q + Lanes;
      unique case (state_q)
        StIdle: if (start_i) begin
          {rows_q, len_q, in_q, out_q} <= {rows_i, len_i, in_addr_i, out_addr_i};
          row_q <= '0;
          i_q <= '0;
          max_q <= 32'hFF80_0000;
          state_q <= StMax;
        end
        StMax: begin
          if (pend_q) max_q <= group_max;
          if (last) begin
            i_q <= '0;
            sum_q <= '0;
            state_q <= StExp;
          end
        end
        StExp: begin
          if (pend_q) sum_q <= sum_d;
          if (last) state_q <= StRecip;
        end
        StRecip: begin
          recip_q <= recip_d;
          i_q <= '0;
          state_q <= StNorm;
        end
        StNorm: begin
          i_q <= i_q + Lanes;
          if (i_q + Lanes >= len_q) begin
            i_q <= '0;
            max_q <= 32'hFF80_0000;
            row_q <= row_q + 1;
            state_q <= (row_q + 1 >= rows_q) ? StIdle : StMax;
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  // The exponentials buffer has no reset, so it is written from its own process: yosys maps it to a
  // memory (LUT RAM on FPGAs) rather than to flip-flops, which a write inside the reset process forces.
  always_ff @(posedge clk_i) begin
    if (state_q == StExp && pend_q) ebuf[RowW'(pend_i_q / Lanes)] <= e_all;
  end

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && start_i && state_q == StIdle && len_i > MaxLen) $error("cd_softmax: row longer than MaxLen");
  end
`endif

endmodule
