// SPDX-License-Identifier: Apache-2.0
// Operation controller: decodes the PIM instruction stream and sequences GEMM passes. A GEMM runs as
// passes of Tokens tokens x output tiles of ObufRows rows x K tiles of IbufRows*Lanes; each K tile first
// loads the input buffer from the stack buffer, then streams that tile's weights (laid out K-tile-major,
// see PimWeightLayout.cs) from the bank-bundle path.
module cd_op_ctrl
  import cd_pkg::*;
#(
  parameter  int unsigned Lanes    = 8,
  parameter  int unsigned Tokens   = 2,
  parameter  int unsigned IbufRows = 64,
  parameter  int unsigned ObufRows = 64,
  parameter  int unsigned SmMaxLen = 1024,
  localparam int unsigned TokW     = (Tokens > 1) ? $clog2(Tokens) : 1,
  localparam int unsigned IrowW    = (IbufRows > 1) ? $clog2(IbufRows) : 1,
  localparam int unsigned OrowW    = (ObufRows > 1) ? $clog2(ObufRows) : 1,
  localparam int unsigned KtMax    = IbufRows * Lanes
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // instruction stream
  input  logic                 instr_valid_i,
  output logic                 instr_ready_o,
  input  instr_t               instr_i,
  output logic                 idle_o,
  output logic                 err_o,          // sticky: an instruction was illegal and skipped
  output logic                 retire_o,       // pulses when an instruction completes
  // stack buffer: reads return Lanes FP16 one cycle later; writes scatter Tokens FP32
  output logic                 sb_rd_o,
  output logic [31:0]          sb_rd_addr_o,
  input  logic [Lanes*16-1:0]  sb_rd_data_i,
  output logic                 sb_wr_o,
  output logic [31:0]          sb_wr_addr_o,
  output logic [31:0]          sb_wr_stride_o,
  output logic [Tokens-1:0]    sb_wr_mask_o,
  output logic [Tokens*32-1:0] sb_wr_data_o,
  // bank-bundle path
  output logic                 dreq_valid_o,
  input  logic                 dreq_ready_i,
  output logic [31:0]          dreq_beat_o,
  output logic [31:0]          dreq_count_o,
  input  logic                 dbeat_valid_i,
  output logic                 dbeat_ready_o,
  // GEMM module
  output logic                 ibuf_we_o,
  output logic [TokW-1:0]      ibuf_token_o,
  output logic [IrowW-1:0]     ibuf_row_o,
  output logic [Lanes*16-1:0]  ibuf_data_o,
  output logic                 beat_valid_o,
  output logic [IrowW-1:0]     beat_row_o,
  output logic                 beat_first_o,
  output logic                 beat_last_o,
  output logic                 beat_zero_init_o,
  output logic                 beat_final_o,
  output logic [OrowW-1:0]     beat_orow_o,
  input  logic                 res_valid_i,
  input  logic [OrowW-1:0]     res_orow_i,
  input  logic [Tokens*32-1:0] res_data_i,
  input  logic                 gemm_busy_i,
  // softmax and activation units: one at a time, started with the instruction's fields
  output logic                 sm_start_o,
  output logic                 silu_start_o,
  output logic [31:0]          act_rows_o,
  output logic [31:0]          act_len_o,
  output logic [31:0]          act_in_o,
  output logic [31:0]          act_out_o,
  input  logic                 act_busy_i
);
  typedef enum logic [2:0] { StIdle, StLoad, StStream, StDrain, StActStart, StActWait } state_e;

  state_e      state_q, state_d;
  instr_t      ins_q;
  logic        err_q;
  // Loop indices: pass, output tile, K tile; inside a tile: load (token, row) and stream (row, beat).
  logic [31:0] p_q, nt_q, kt_q, passes_q, ntiles_q, ktiles_q;
  logic [31:0] ld_t_q, ld_r_q, st_i_q, st_j_q;
  // Weight-stream requests run ahead of the tile being computed (same loop order, own indices), so the
  // bank-bundle path opens the next tile's rows while this one computes.
  logic [31:0] rq_p_q, rq_nt_q, rq_kt_q;
  logic        rq_done_q;
  logic [31:0] rq_n0, rq_kt_len, rq_nt_len;
  logic        pend_q, pend_zero_q;
  logic [TokW-1:0]  pend_t_q;
  logic [IrowW-1:0] pend_r_q;
  // Current tile geometry.
  logic [31:0] kt_len, nt_len, bpr, n0, tok0;
  logic        instr_ok;

  always_comb begin
    n0     = nt_q * ObufRows;
    tok0   = p_q * Tokens;
    kt_len = ((kt_q + 1) * KtMax <= ins_q.k) ? KtMax : ins_q.k - kt_q * KtMax;
    nt_len = (n0 + ObufRows <= ins_q.n) ? ObufRows : ins_q.n - n0;
    bpr    = kt_len / Lanes;
    rq_n0     = rq_nt_q * ObufRows;
    rq_kt_len = ((rq_kt_q + 1) * KtMax <= ins_q.k) ? KtMax : ins_q.k - rq_kt_q * KtMax;
    rq_nt_len = (rq_n0 + ObufRows <= ins_q.n) ? ObufRows : ins_q.n - rq_n0;
    unique case (instr_i.opcode)
      OpGemm:    instr_ok = instr_i.m != 0 && instr_i.k != 0 && instr_i.n != 0
                         && instr_i.k % Lanes == 0 && instr_i.weight_addr % (Lanes * 2) == 0;
      OpSoftmax: instr_ok = instr_i.m != 0 && instr_i.k != 0 && instr_i.k <= SmMaxLen;
      OpSilu:    instr_ok = instr_i.m != 0 && instr_i.k != 0;
      default:   instr_ok = 1'b0;
    endcase
  end

  // Instruction intake.
  assign instr_ready_o = state_q == StIdle;
  assign idle_o        = state_q == StIdle && !gemm_busy_i;
  assign err_o         = err_q;

  // Input-buffer load: one stack-buffer row a cycle; tokens past M load zeros without a read.
  logic ld_issue, ld_done;
  assign ld_issue     = state_q == StLoad && ld_t_q < Tokens;
  assign ld_done      = state_q == StLoad && ld_t_q >= Tokens && !pend_q;
  assign sb_rd_o      = ld_issue && tok0 + ld_t_q < ins_q.m;
  assign sb_rd_addr_o = ins_q.input_addr + ((tok0 + ld_t_q) * ins_q.k + kt_q * KtMax + ld_r_q * Lanes) * 2;
  assign ibuf_we_o    = pend_q;
  assign ibuf_token_o = pend_t_q;
  assign ibuf_row_o   = pend_r_q;
  assign ibuf_data_o  = pend_zero_q ? '0 : sb_rd_data_i;

  // Weight stream of each tile: contiguous in the K-tile-major layout.
  assign dreq_valid_o = (state_q == StLoad || state_q == StStream || state_q == StDrain) && !rq_done_q;
  assign dreq_beat_o  = ins_q.weight_addr / (Lanes * 2) + (rq_kt_q * KtMax * ins_q.n + rq_n0 * rq_kt_len) / Lanes;
  assign dreq_count_o = rq_nt_len * (rq_kt_len / Lanes);

  assign dbeat_ready_o    = state_q == StStream;
  assign beat_valid_o     = dbeat_ready_o && dbeat_valid_i;
  assign beat_row_o       = IrowW'(st_j_q);
  assign beat_first_o     = st_j_q == 0;
  assign beat_last_o      = st_j_q == bpr - 1;
  assign beat_zero_init_o = kt_q == 0;
  assign beat_final_o     = kt_q == ktiles_q - 1;
  assign beat_orow_o      = OrowW'(st_i_q);

  // Finished rows go straight to the stack buffer, [M][N] row-major FP32.
  assign sb_wr_o        = res_valid_i;
  assign sb_wr_addr_o   = ins_q.output_addr + (tok0 * ins_q.n + n0 + 32'(res_orow_i)) * 4;
  assign sb_wr_stride_o = ins_q.n * 4;
  assign sb_wr_data_o   = res_data_i;
  for (genvar t = 0; t < Tokens; t++) begin : g_mask
    assign sb_wr_mask_o[t] = tok0 + t < ins_q.m;
  end

  logic tile_last;
  assign tile_last = kt_q + 1 == ktiles_q && nt_q + 1 == ntiles_q && p_q + 1 == passes_q;
  assign retire_o  = (state_q == StDrain && !gemm_busy_i && tile_last) || (state_q == StActWait && !act_busy_i);

  assign sm_start_o   = state_q == StActStart && ins_q.opcode == OpSoftmax;
  assign silu_start_o = state_q == StActStart && ins_q.opcode == OpSilu;
  assign act_rows_o   = ins_q.m;
  // SiLU is element-wise: the whole m x k block is one run.
  assign act_len_o    = (ins_q.opcode == OpSilu) ? ins_q.m * ins_q.k : ins_q.k;
  assign act_in_o     = ins_q.input_addr;
  assign act_out_o    = ins_q.output_addr;

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      StIdle:   if (instr_valid_i && instr_ok) state_d = (instr_i.opcode == OpGemm) ? StLoad : StActStart;
      StActStart: state_d = StActWait;
      StActWait:  if (!act_busy_i) state_d = StIdle;
      StLoad:   if (ld_done) state_d = StStream;
      StStream: if (beat_valid_o && beat_last_o && st_i_q + 1 == nt_len) state_d = StDrain;
      StDrain:  if (!gemm_busy_i) state_d = tile_last ? StIdle : StLoad;
      default:  state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      ins_q <= '0;
      err_q <= 1'b0;
      {p_q, nt_q, kt_q, passes_q, ntiles_q, ktiles_q} <= '0;
      {ld_t_q, ld_r_q, st_i_q, st_j_q} <= '0;
      {rq_p_q, rq_nt_q, rq_kt_q} <= '0;
      rq_done_q <= 1'b0;
      pend_q <= 1'b0;
      pend_zero_q <= 1'b0;
      pend_t_q <= '0;
      pend_r_q <= '0;
    end else begin
      state_q <= state_d;
      pend_q      <= ld_issue;
      pend_zero_q <= !sb_rd_o;
      pend_t_q    <= TokW'(ld_t_q);
      pend_r_q    <= IrowW'(ld_r_q);
      if (dreq_valid_o && dreq_ready_i) begin
        if (rq_kt_q + 1 < ktiles_q) begin
          rq_kt_q <= rq_kt_q + 1;
        end else begin
          rq_kt_q <= '0;
          if (rq_nt_q + 1 < ntiles_q) begin
            rq_nt_q <= rq_nt_q + 1;
          end else begin
            rq_nt_q <= '0;
            rq_p_q  <= rq_p_q + 1;
            rq_done_q <= rq_p_q + 1 == passes_q;
          end
        end
      end
      unique case (state_q)
        StIdle: if (instr_valid_i) begin
          ins_q    <= instr_i;
          err_q    <= err_q | !instr_ok;
          passes_q <= (instr_i.m + Tokens - 1) / Tokens;
          ntiles_q <= (instr_i.n + ObufRows - 1) / ObufRows;
          ktiles_q <= (instr_i.k + KtMax - 1) / KtMax;
          {p_q, nt_q, kt_q, ld_t_q, ld_r_q, st_i_q, st_j_q} <= '0;
          {rq_p_q, rq_nt_q, rq_kt_q} <= '0;
          rq_done_q <= 1'b0;
        end
        StLoad: begin
          if (ld_issue) begin
            if (ld_r_q + 1 == bpr) begin
              ld_r_q <= '0;
              ld_t_q <= ld_t_q + 1;
            end else begin
              ld_r_q <= ld_r_q + 1;
            end
          end
        end
        StStream: begin
          if (beat_valid_o && beat_last_o) begin
            st_j_q <= '0;
            st_i_q <= st_i_q + 1;
          end else if (beat_valid_o) begin
            st_j_q <= st_j_q + 1;
          end
        end
        StDrain: if (!gemm_busy_i) begin
          {ld_t_q, ld_r_q, st_i_q, st_j_q} <= '0;
          if (kt_q + 1 < ktiles_q) begin
            kt_q <= kt_q + 1;
          end else begin
            kt_q <= '0;
            if (nt_q + 1 < ntiles_q) begin
              nt_q <= nt_q + 1;
            end else begin
              nt_q <= '0;
              p_q  <= p_q + 1;
            end
          end
        end
        default: ;
      endcase
    end
  end

  ////////////////////
  // Assertions     //
  ////////////////////
`ifndef SYNTHESIS
  // Handshakes: a request held while not accepted must stay valid and unchanged.
  logic        dreq_stall_q;
  logic [63:0] dreq_q;
  always_ff @(posedge clk_i) begin
    dreq_stall_q <= rst_ni && dreq_valid_o && !dreq_ready_i;
    dreq_q       <= {dreq_beat_o, dreq_count_o};
    if (rst_ni && dreq_stall_q && (!dreq_valid_o || {dreq_beat_o, dreq_count_o} != dreq_q)) begin
      $error("cd_op_ctrl: weight-stream request changed while waiting for ready");
    end
    if (rst_ni && dbeat_ready_o && !dbeat_valid_i && beat_valid_o) begin
      $error("cd_op_ctrl: beat forwarded to the GEMM module without a valid DRAM beat");
    end
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni && dreq_valid_o && dreq_ready_i && dreq_count_o == 0) begin
      $error("cd_op_ctrl: empty weight stream requested");
    end
    if (rst_ni && state_q == StStream && beat_valid_o && st_i_q >= nt_len) begin
      $error("cd_op_ctrl: beat beyond the tile's rows");
    end
  end
`endif

endmodule
