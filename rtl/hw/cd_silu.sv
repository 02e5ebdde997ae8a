// SPDX-License-Identifier: Apache-2.0
// Activation unit: SiLU(x) = x / (1 + exp(-x)) on binary32 inputs, binary16 outputs, one element per cycle.
module cd_silu (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,
  input  logic [31:0] count_i,
  input  logic [31:0] in_addr_i,     // binary32 [count]
  input  logic [31:0] out_addr_i,    // binary16 [count]
  output logic        busy_o,
  output logic        rd_o,
  output logic [31:0] rd_addr_o,
  input  logic [31:0] rd_data_i,
  output logic        wr_o,
  output logic [31:0] wr_addr_o,
  output logic [15:0] wr_data_o
);
  localparam logic [31:0] One = 32'h3F80_0000;
  logic        busy_q, pend_q;
  logic [31:0] n_q, in_q, out_q, i_q, wi_q;
  logic [31:0] en, d, r, y;

  // The units work only in the cycle the read data arrives, when the result is written (operand isolation:
  // idle units do not switch, and the simulator skips their arithmetic).
  cd_fp32_exp     u_exp (.en_i (pend_q), .x_i ({~rd_data_i[31], rd_data_i[30:0]}), .y_o (en));
  cd_fp32_add     u_d   (.en_i (pend_q), .a_i (One), .b_i (en), .s_o (d));
  cd_fp32_recip   u_r   (.en_i (pend_q), .d_i (d), .y_o (r));
  cd_fp32_mul     u_y   (.en_i (pend_q), .a_i (rd_data_i), .b_i (r), .p_o (y));
  cd_fp32_to_fp16 u_h   (.en_i (pend_q), .a_i (y), .h_o (wr_data_o));

  assign busy_o    = busy_q || pend_q;
  assign rd_o      = busy_q && i_q < n_q;
  assign rd_addr_o = in_q + i_q * 4;
  assign wr_o      = pend_q;
  assign wr_addr_o = out_q + wi_q * 2;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q <= 1'b0;
      pend_q <= 1'b0;
      {n_q, in_q, out_q, i_q, wi_q} <= '0;
    end else begin
      pend_q <= rd_o;
      if (pend_q) wi_q <= wi_q + 1;
      if (rd_o) i_q <= i_q + 1;
      if (busy_q && i_q + 1 >= n_q && rd_o) busy_q <= 1'b0;
      if (start_i && !busy_o) begin
        {n_q, in_q, out_q} <= {count_i, in_addr_i, out_addr_i};
        {i_q, wi_q} <= '0;
        busy_q <= 1'b1;
      end
    end
  end
endmodule
