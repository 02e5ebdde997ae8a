// SPDX-License-Identifier: Apache-2.0
// Softmax unit: per row of Len binary32 scores, max pass, exp-and-sum pass (binary32, in order), one
// reciprocal of the sum, then a normalise pass writing binary16 probabilities. One element per cycle per
// pass, so a row takes about 3*Len cycles. Exponent accuracy: see cd_fp32_exp.
module cd_softmax #(
  parameter  int unsigned MaxLen = 1024,
  localparam int unsigned IdxW   = (MaxLen > 1) ? $clog2(MaxLen) : 1
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,
  input  logic [31:0] rows_i,
  input  logic [31:0] len_i,
  input  logic [31:0] in_addr_i,     // binary32 [rows][len]
  input  logic [31:0] out_addr_i,    // binary16 [rows][len]
  output logic        busy_o,
  output logic        rd_o,
  output logic [31:0] rd_addr_o,
  input  logic [31:0] rd_data_i,     // one cycle after rd_o
  output logic        wr_o,
  output logic [31:0] wr_addr_o,
  output logic [15:0] wr_data_o
);
  typedef enum logic [2:0] { StIdle, StMax, StExp, StRecip, StNorm } state_e;

  state_e      state_q;
  logic [31:0] rows_q, len_q, in_q, out_q, row_q, i_q;
  logic        pend_q;
  logic [31:0] max_q, sum_q, recip_q;
  logic [31:0] ebuf [MaxLen];
  logic [31:0] diff, e, sum_d, recip_d, prob;
  logic [15:0] prob16;
  logic        issue, last;
  logic [32:0] key_d, key_m;

  assign busy_o    = state_q != StIdle;
  assign issue     = (state_q == StMax || state_q == StExp) && i_q < len_q;
  assign rd_o      = issue;
  assign rd_addr_o = in_q + (row_q * len_q + i_q) * 4;
  assign last      = i_q >= len_q && !pend_q;

  // Order binary32 values as unsigned keys; NaN wins so that it propagates.
  function automatic logic [32:0] fkey(logic [31:0] f);
    if (f[30:23] == 8'hff && f[22:0] != '0) return 33'h1_FFFF_FFFF;
    return {1'b0, f[31] ? ~f : (f | 32'h8000_0000)};
  endfunction
  assign key_d = fkey(rd_data_i);
  assign key_m = fkey(max_q);

  cd_fp32_add   u_diff  (.a_i (rd_data_i), .b_i ({~max_q[31], max_q[30:0]}), .s_o (diff));
  cd_fp32_exp   u_exp   (.x_i (diff), .y_o (e));
  cd_fp32_add   u_sum   (.a_i (sum_q), .b_i (e), .s_o (sum_d));
  cd_fp32_recip u_recip (.d_i (sum_q), .y_o (recip_d));
  cd_fp32_mul   u_norm  (.a_i (ebuf[IdxW'(i_q)]), .b_i (recip_q), .p_o (prob));
  cd_fp32_to_fp16 u_h   (.a_i (prob), .h_o (prob16));

  assign wr_o      = state_q == StNorm && i_q < len_q;
  assign wr_addr_o = out_q + (row_q * len_q + i_q) * 2;
  assign wr_data_o = prob16;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      {rows_q, len_q, in_q, out_q, row_q, i_q, max_q, sum_q, recip_q} <= '0;
      pend_q <= 1'b0;
    end else begin
      pend_q <= issue;
      if (issue) i_q <= i_q + 1;
      unique case (state_q)
        StIdle: if (start_i) begin
          {rows_q, len_q, in_q, out_q} <= {rows_i, len_i, in_addr_i, out_addr_i};
          row_q <= '0;
          i_q <= '0;
          max_q <= 32'hFF80_0000;
          state_q <= StMax;
        end
        StMax: begin
          if (pend_q && key_d > key_m) max_q <= rd_data_i;
          if (last) begin
            i_q <= '0;
            sum_q <= '0;
            state_q <= StExp;
          end
        end
        StExp: begin
          if (pend_q) begin
            ebuf[IdxW'(i_q - 1)] <= e;
            sum_q <= sum_d;
          end
          if (last) state_q <= StRecip;
        end
        StRecip: begin
          recip_q <= recip_d;
          i_q <= '0;
          state_q <= StNorm;
        end
        StNorm: begin
          i_q <= i_q + 1;
          if (i_q + 1 >= len_q) begin
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

  logic unused;
  assign unused = key_d[32] ^ key_m[32];

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && start_i && state_q == StIdle && len_i > MaxLen) $error("cd_softmax: row longer than MaxLen");
  end
`endif

endmodule
