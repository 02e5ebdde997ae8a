// SPDX-License-Identifier: Apache-2.0
// Logic-PIM pseudo-channel slice (synthesizable): operation controller + GEMM module. The bank-bundle DRAM
// path and the stack buffer attach through ports.
module cd_pim_top
  import cd_pkg::*;
#(
  parameter int unsigned Lanes    = 8,
  parameter int unsigned Tokens   = 2,
  parameter int unsigned IbufRows = 64,
  parameter int unsigned ObufRows = 64
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 instr_valid_i,
  output logic                 instr_ready_o,
  input  instr_t               instr_i,
  output logic                 idle_o,
  output logic                 err_o,
  output logic                 retire_o,
  output logic                 sb_rd_o,
  output logic [31:0]          sb_rd_addr_o,
  input  logic [Lanes*16-1:0]  sb_rd_data_i,
  output logic                 sb_wr_o,
  output logic [31:0]          sb_wr_addr_o,
  output logic [31:0]          sb_wr_stride_o,
  output logic [Tokens-1:0]    sb_wr_mask_o,
  output logic [Tokens*32-1:0] sb_wr_data_o,
  output logic                 dreq_valid_o,
  input  logic                 dreq_ready_i,
  output logic [31:0]          dreq_beat_o,
  output logic [31:0]          dreq_count_o,
  input  logic                 dbeat_valid_i,
  output logic                 dbeat_ready_o,
  input  logic [Lanes*16-1:0]  dbeat_data_i,
  output logic                 beat_fire_o
);
  localparam int unsigned TokW  = (Tokens > 1) ? $clog2(Tokens) : 1;
  localparam int unsigned IrowW = (IbufRows > 1) ? $clog2(IbufRows) : 1;
  localparam int unsigned OrowW = (ObufRows > 1) ? $clog2(ObufRows) : 1;

  logic                 ibuf_we, beat_valid, beat_first, beat_last, beat_zero_init, beat_final;
  logic [TokW-1:0]      ibuf_token;
  logic [IrowW-1:0]     ibuf_row, beat_row;
  logic [Lanes*16-1:0]  ibuf_data;
  logic [OrowW-1:0]     beat_orow, res_orow;
  logic                 res_valid, gemm_busy;
  logic [Tokens*32-1:0] res_data;

  cd_op_ctrl #(.Lanes(Lanes), .Tokens(Tokens), .IbufRows(IbufRows), .ObufRows(ObufRows)) u_ctrl (
    .clk_i, .rst_ni, .instr_valid_i, .instr_ready_o, .instr_i, .idle_o, .err_o, .retire_o,
    .sb_rd_o, .sb_rd_addr_o, .sb_rd_data_i,
    .sb_wr_o, .sb_wr_addr_o, .sb_wr_stride_o, .sb_wr_mask_o, .sb_wr_data_o,
    .dreq_valid_o, .dreq_ready_i, .dreq_beat_o, .dreq_count_o, .dbeat_valid_i, .dbeat_ready_o,
    .ibuf_we_o (ibuf_we), .ibuf_token_o (ibuf_token), .ibuf_row_o (ibuf_row), .ibuf_data_o (ibuf_data),
    .beat_valid_o (beat_valid), .beat_row_o (beat_row), .beat_first_o (beat_first),
    .beat_last_o (beat_last), .beat_zero_init_o (beat_zero_init), .beat_final_o (beat_final),
    .beat_orow_o (beat_orow), .res_valid_i (res_valid), .res_orow_i (res_orow), .res_data_i (res_data),
    .gemm_busy_i (gemm_busy)
  );

  cd_gemm #(.Lanes(Lanes), .Tokens(Tokens), .IbufRows(IbufRows), .ObufRows(ObufRows)) u_gemm (
    .clk_i, .rst_ni,
    .ibuf_we_i (ibuf_we), .ibuf_token_i (ibuf_token), .ibuf_row_i (ibuf_row), .ibuf_data_i (ibuf_data),
    .beat_valid_i (beat_valid), .beat_data_i (dbeat_data_i), .beat_row_i (beat_row),
    .beat_first_i (beat_first), .beat_last_i (beat_last), .beat_zero_init_i (beat_zero_init),
    .beat_final_i (beat_final), .beat_orow_i (beat_orow),
    .res_valid_o (res_valid), .res_orow_o (res_orow), .res_data_o (res_data), .busy_o (gemm_busy)
  );

  assign beat_fire_o = beat_valid;

endmodule
