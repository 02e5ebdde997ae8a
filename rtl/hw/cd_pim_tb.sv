// SPDX-License-Identifier: Apache-2.0
// BEHAVIOURAL simulation top: cd_pim_top + the bank-bundle DRAM model, with the instruction stream and the
// stack buffer served by the C++ harness over DPI. Not synthesizable.
module cd_pim_tb
  import cd_pkg::*;
#(
  parameter int unsigned Lanes    = 8,
  parameter int unsigned Tokens   = 2,
  parameter int unsigned IbufRows = 64,
  parameter int unsigned ObufRows = 64,
  parameter int unsigned Bundles  = 1,
  parameter int unsigned SmMaxLen = 1024,
  parameter int unsigned SmLanes  = 4,
  parameter int unsigned ActUnits = 1,
  // HBM3 timing of the bank-bundle DRAM model, passed by the harness from the hardware description
  // (cd_dram_bundle.sv says which); 0 = not passed.
  parameter longint TRcd = 0, parameter longint TRp = 0, parameter longint TRas = 0, parameter longint TRc = 0,
  parameter longint TCcd = 0, parameter longint TRtp = 0, parameter longint TRrd = 0, parameter longint TCl = 0,
  parameter longint TRfc = 0, parameter longint TRefi = 0
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        freeze_dram_i,
  output logic        done_o,
  output logic        err_o,
  output logic [31:0] progress_o     // grows while the model makes progress (watchdog input)
);
  import "DPI-C" function int unsigned cd_instr_count();
  import "DPI-C" function int unsigned cd_instr_word(input int unsigned idx, input int unsigned word);
  import "DPI-C" function longint unsigned cd_sbuf_read64(input int unsigned byte_addr);
  import "DPI-C" function void cd_sbuf_write32(input int unsigned byte_addr, input int unsigned value);
  import "DPI-C" function void cd_sbuf_write16(input int unsigned byte_addr, input shortint unsigned value);

  logic                 instr_valid, instr_ready, idle, retire;
  instr_t               instr;
  logic [31:0]          pc_q, progress_q;
  logic                 sb_rd, sb_wr, dreq_valid, dreq_ready, dbeat_valid, dbeat_ready, beat_fire;
  logic [31:0]          sb_rd_addr, sb_wr_addr, sb_wr_stride, dreq_beat, dreq_count;
  logic [Lanes*16-1:0]  sb_rd_data_q, dbeat_data;
  logic [Tokens-1:0]    sb_wr_mask;
  logic [Tokens*32-1:0] sb_wr_data;
  logic                 act_rd, act_wr;
  logic [31:0]          act_rd_addr, act_wr_addr;
  logic [SmLanes*32-1:0] act_rd_data_q;
  logic [SmLanes-1:0]   act_wr_mask;
  logic [SmLanes*16-1:0] act_wr_data;

  // The instruction at pc_q, fetched once per pc (a DPI call per evaluation would dominate run time).
  logic [InstrWidth-1:0] instr_q;
  logic [31:0]           count_q;
  function automatic logic [InstrWidth-1:0] fetch(logic [31:0] pc);
    logic [InstrWidth-1:0] bits;
    for (int w = 0; w < InstrWords; w++) bits[w*32 +: 32] = cd_instr_word(pc, w);
    return bits;
  endfunction
  assign instr       = instr_t'(instr_q);
  assign instr_valid = pc_q < count_q;
  assign done_o      = !instr_valid && idle;

  cd_pim_top #(.Lanes(Lanes), .Tokens(Tokens), .IbufRows(IbufRows), .ObufRows(ObufRows), .SmMaxLen(SmMaxLen),
               .SmLanes(SmLanes), .ActUnits(ActUnits)) u_top (
    .clk_i, .rst_ni, .instr_valid_i (instr_valid), .instr_ready_o (instr_ready), .instr_i (instr),
    .idle_o (idle), .err_o, .retire_o (retire),
    .sb_rd_o (sb_rd), .sb_rd_addr_o (sb_rd_addr), .sb_rd_data_i (sb_rd_data_q),
    .sb_wr_o (sb_wr), .sb_wr_addr_o (sb_wr_addr), .sb_wr_stride_o (sb_wr_stride),
    .sb_wr_mask_o (sb_wr_mask), .sb_wr_data_o (sb_wr_data),
    .dreq_valid_o (dreq_valid), .dreq_ready_i (dreq_ready), .dreq_beat_o (dreq_beat),
    .dreq_count_o (dreq_count), .dbeat_valid_i (dbeat_valid), .dbeat_ready_o (dbeat_ready),
    .dbeat_data_i (dbeat_data), .beat_fire_o (beat_fire),
    .act_rd_o (act_rd), .act_rd_addr_o (act_rd_addr), .act_rd_data_i (act_rd_data_q),
    .act_wr_o (act_wr), .act_wr_addr_o (act_wr_addr), .act_wr_mask_o (act_wr_mask), .act_wr_data_o (act_wr_data)
  );

  cd_dram_bundle #(.Lanes(Lanes), .Bundles(Bundles), .TRcd(TRcd), .TRp(TRp), .TRas(TRas), .TRc(TRc), .TCcd(TCcd),
                  .TRtp(TRtp), .TRrd(TRrd), .TCl(TCl), .TRfc(TRfc), .TRefi(TRefi)) u_dram (
    .clk_i, .rst_ni, .freeze_i (freeze_dram_i),
    .req_valid_i (dreq_valid), .req_ready_o (dreq_ready), .req_beat_i (dreq_beat), .req_count_i (dreq_count),
    .beat_valid_o (dbeat_valid), .beat_ready_i (dbeat_ready), .beat_data_o (dbeat_data)
  );

  // Stack buffer: one-cycle read latency, scattered FP32 writes.
  always_ff @(posedge clk_i) begin
    if (sb_rd) begin
      for (int w = 0; w < Lanes / 4; w++) sb_rd_data_q[w*64 +: 64] <= cd_sbuf_read64(sb_rd_addr + w * 8);
    end
    if (act_rd) begin
      for (int l = 0; l < SmLanes; l++) act_rd_data_q[l*32 +: 32] <= 32'(cd_sbuf_read64(act_rd_addr + l * 4));
    end
    if (act_wr) begin
      for (int l = 0; l < SmLanes; l++) begin
        if (act_wr_mask[l]) cd_sbuf_write16(act_wr_addr + l * 2, act_wr_data[l*16 +: 16]);
      end
    end
    if (sb_wr) begin
      for (int t = 0; t < Tokens; t++) begin
        if (sb_wr_mask[t]) cd_sbuf_write32(sb_wr_addr + t * sb_wr_stride, sb_wr_data[t*32 +: 32]);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pc_q <= '0;
      progress_q <= '0;
      count_q <= cd_instr_count();
      instr_q <= fetch(0);
    end else begin
      if (instr_valid && instr_ready) begin
        pc_q <= pc_q + 1;
        instr_q <= fetch(pc_q + 1);
      end
      progress_q <= progress_q + 32'(beat_fire) + 32'(sb_rd) + 32'(act_rd) + 32'(act_wr) + 32'(retire) + 32'(instr_valid && instr_ready);
    end
  end
  assign progress_o = progress_q;

endmodule
