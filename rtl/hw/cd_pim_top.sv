// SPDX-License-Identifier: Apache-2.0
// Logic-PIM pseudo-channel slice (synthesizable): operation controller + GEMM module. The bank-bundle DRAM
// path and the stack buffer attach through ports.
// No package import in the header (yosys 0.23 cannot parse one): cd_pkg names are qualified.
module cd_pim_top #(
  parameter int unsigned Lanes    = 8,
  parameter int unsigned Tokens   = 2,
  parameter int unsigned IbufRows = 64,
  parameter int unsigned ObufRows = 64,
  parameter int unsigned SmMaxLen = 1024,
  parameter int unsigned SmLanes  = 4,
  // 0 leaves out the softmax and activation units (GEMM-only builds simulate several times faster,
  // since Verilator evaluates every unit's combinational logic each cycle, busy or not).
  parameter int unsigned ActUnits = 1
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 instr_valid_i,
  output logic                 instr_ready_o,
  input  cd_pkg::instr_t       instr_i,
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
  output logic                 beat_fire_o,
  // softmax / activation units' stack-buffer port: binary32 reads (one-cycle latency), binary16 writes
  output logic                 act_rd_o,
  output logic [31:0]          act_rd_addr_o,
  input  logic [SmLanes*32-1:0] act_rd_data_i,
  output logic                 act_wr_o,
  output logic [31:0]          act_wr_addr_o,
  output logic [SmLanes-1:0]   act_wr_mask_o,
  output logic [SmLanes*16-1:0] act_wr_data_o
);
  localparam int unsigned TokW  = (Tokens > 1) ? $clog2(Tokens) : 1;
  localparam int unsigned SmWrW = SmLanes * 16;
  localparam int unsigned IrowW = ((IbufRows > 1) ? $clog2(IbufRows) : 1) + 1;   // {bank, row}
  localparam int unsigned OrowW = (ObufRows > 1) ? $clog2(ObufRows) : 1;

  logic                 ibuf_we, beat_valid, beat_first, beat_last, beat_zero_init, beat_final;
  logic [TokW-1:0]      ibuf_token;
  logic [IrowW-1:0]     ibuf_row, beat_row;
  logic [Lanes*16-1:0]  ibuf_data;
  logic [OrowW-1:0]     beat_orow, res_orow;
  logic                 res_valid, gemm_busy;
  logic [Tokens*32-1:0] res_data;
  logic                 sm_start, silu_start, sm_busy, silu_busy;
  logic [31:0]          act_rows, act_len, act_in, act_out;
  logic                 sm_rd, silu_rd, sm_wr, silu_wr;
  logic [31:0]          sm_rd_addr, silu_rd_addr, sm_wr_addr, silu_wr_addr;
  logic [SmLanes*16-1:0] sm_wr_data;
  logic [SmLanes-1:0]   sm_wr_mask;
  logic [15:0]          silu_wr_data;

  cd_op_ctrl #(.Lanes(Lanes), .Tokens(Tokens), .IbufRows(IbufRows), .ObufRows(ObufRows), .SmMaxLen(SmMaxLen)) u_ctrl (
    .clk_i, .rst_ni, .instr_valid_i, .instr_ready_o, .instr_i, .idle_o, .err_o, .retire_o,
    .sb_rd_o, .sb_rd_addr_o, .sb_rd_data_i,
    .sb_wr_o, .sb_wr_addr_o, .sb_wr_stride_o, .sb_wr_mask_o, .sb_wr_data_o,
    .dreq_valid_o, .dreq_ready_i, .dreq_beat_o, .dreq_count_o, .dbeat_valid_i, .dbeat_ready_o,
    .ibuf_we_o (ibuf_we), .ibuf_token_o (ibuf_token), .ibuf_row_o (ibuf_row), .ibuf_data_o (ibuf_data),
    .beat_valid_o (beat_valid), .beat_row_o (beat_row), .beat_first_o (beat_first),
    .beat_last_o (beat_last), .beat_zero_init_o (beat_zero_init), .beat_final_o (beat_final),
    .beat_orow_o (beat_orow), .res_valid_i (res_valid), .res_orow_i (res_orow), .res_data_i (res_data),
    .gemm_busy_i (gemm_busy),
    .sm_start_o (sm_start), .silu_start_o (silu_start), .act_rows_o (act_rows), .act_len_o (act_len),
    .act_in_o (act_in), .act_out_o (act_out), .act_busy_i (sm_busy || silu_busy)
  );

  if (ActUnits != 0) begin : g_act
    cd_softmax #(.MaxLen(SmMaxLen), .Lanes(SmLanes)) u_softmax (
      .clk_i, .rst_ni, .start_i (sm_start), .rows_i (act_rows), .len_i (act_len), .in_addr_i (act_in),
      .out_addr_i (act_out), .busy_o (sm_busy), .rd_o (sm_rd), .rd_addr_o (sm_rd_addr), .rd_data_i (act_rd_data_i),
      .wr_o (sm_wr), .wr_addr_o (sm_wr_addr), .wr_mask_o (sm_wr_mask), .wr_data_o (sm_wr_data)
    );

    cd_silu u_silu (
      .clk_i, .rst_ni, .start_i (silu_start), .count_i (act_len), .in_addr_i (act_in), .out_addr_i (act_out),
      .busy_o (silu_busy), .rd_o (silu_rd), .rd_addr_o (silu_rd_addr), .rd_data_i (act_rd_data_i[31:0]),
      .wr_o (silu_wr), .wr_addr_o (silu_wr_addr), .wr_data_o (silu_wr_data)
    );

    // The controller runs one unit at a time, so their stack-buffer ports can share one.
    assign act_rd_o      = sm_rd || silu_rd;
    assign act_rd_addr_o = sm_rd ? sm_rd_addr : silu_rd_addr;
    assign act_wr_o      = sm_wr || silu_wr;
    assign act_wr_addr_o = sm_wr ? sm_wr_addr : silu_wr_addr;
    // SiLU is one element a cycle: it uses lane 0 of the shared port.
    assign act_wr_data_o = sm_wr ? sm_wr_data : SmWrW'(silu_wr_data);
    assign act_wr_mask_o = sm_wr ? sm_wr_mask : SmLanes'(1);
  end else begin : g_no_act
    // Without the units the controller still decodes their opcodes; they finish at once and write nothing.
    assign {sm_busy, silu_busy, act_rd_o, act_wr_o} = '0;
    assign {act_rd_addr_o, act_wr_addr_o, act_wr_data_o, act_wr_mask_o} = '0;
    logic unused_act;
    assign unused_act = ^{sm_start, silu_start, act_rows, act_len, act_in, act_out, act_rd_data_i,
                          sm_rd, silu_rd, sm_wr, silu_wr, sm_rd_addr, silu_rd_addr, sm_wr_addr, silu_wr_addr,
                          sm_wr_data, sm_wr_mask, silu_wr_data};
    assign {sm_rd, silu_rd, sm_wr, silu_wr, sm_rd_addr, silu_rd_addr, sm_wr_addr, silu_wr_addr,
            sm_wr_data, sm_wr_mask, silu_wr_data} = '0;
  end

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
