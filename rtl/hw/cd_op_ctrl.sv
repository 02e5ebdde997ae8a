// SPDX-License-Identifier: Apache-2.0
// Operation controller: decodes the PIM instruction stream and sequences GEMM passes. A GEMM runs as
// tiles: passes of Tokens tokens x output tiles of ObufRows rows x K tiles of IbufRows*Lanes. Three walkers
// go over the same tile order: the requester asks the bank-bundle path for each tile's weight stream
// (contiguous in the K-tile-major layout, see PimWeightLayout.cs), the loader fills one bank of the
// double-buffered input buffer from the stack buffer, and the streamer feeds weight beats to the GEMM
// module from the other bank, so loading overlaps computing.
// Written for yosys 0.23 as well as Verilator: no package import in the header (names are qualified with
// cd_pkg::), and the functions take and return plain vectors, not structs.
module cd_op_ctrl #(
  parameter  int unsigned Lanes    = 8,
  parameter  int unsigned Tokens   = 2,
  parameter  int unsigned IbufRows = 64,
  parameter  int unsigned ObufRows = 64,
  parameter  int unsigned SmMaxLen = 1024,
  localparam int unsigned TokW     = (Tokens > 1) ? $clog2(Tokens) : 1,
  localparam int unsigned RowW     = (IbufRows > 1) ? $clog2(IbufRows) : 1,
  localparam int unsigned IrowW    = RowW + 1,
  localparam int unsigned OrowW    = (ObufRows > 1) ? $clog2(ObufRows) : 1,
  localparam int unsigned KtMax    = IbufRows * Lanes
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // instruction stream
  input  logic                 instr_valid_i,
  output logic                 instr_ready_o,
  input  cd_pkg::instr_t       instr_i,
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
  typedef enum logic [2:0] { StIdle, StGemm, StDrain, StActStart, StActWait } state_e;
  // A tile's place in the loop nest and its geometry.
  typedef struct packed {
    logic [31:0] p, nt, kt;
  } tile_t;
  typedef struct packed {
    logic [31:0] n0, tok0, kt_len, nt_len, bpr;
  } geom_t;

  state_e      state_q, state_d;
  cd_pkg::instr_t ins_q;
  logic        err_q, instr_ok;
  logic [31:0] ntiles_q, ktiles_q, tiles_q;
  // Requester, loader and streamer: tile index (count) and loop position each.
  logic [31:0] rq_n_q, ld_n_q, st_n_q, loaded_q;
  tile_t       rq_q, ld_q, st_q;
  geom_t       rq_g, ld_g, st_g;
  logic [31:0] ld_t_q, ld_r_q, st_i_q, st_j_q;
  logic        pend_q, pend_zero_q, pend_last_q;
  logic [TokW-1:0]  pend_t_q;
  logic [IrowW-1:0] pend_r_q;
  // Tile base of the beat now in GEMM stage C (results are written two cycles after acceptance).
  logic [63:0] res_base_d1_q, res_base_d2_q;

  // Geometry of tile t = {p, nt, kt}: {n0, tok0, kt_len, nt_len, bpr} (the fields of geom_t).
  function automatic logic [159:0] geom(logic [95:0] t, logic [31:0] k, logic [31:0] n);
    logic [31:0] p, nt, kt, n0, kt_len;
    {p, nt, kt} = t;
    n0     = nt * ObufRows;
    kt_len = ((kt + 1) * KtMax <= k) ? KtMax : k - kt * KtMax;
    geom   = {n0, p * Tokens, kt_len, (n0 + ObufRows <= n) ? ObufRows : n - n0, kt_len / Lanes};
  endfunction

  // Tile order: K tiles innermost, then output tiles, then passes.
  function automatic logic [95:0] next_tile(logic [95:0] t, logic [31:0] ktiles, logic [31:0] ntiles);
    logic [31:0] p, nt, kt;
    {p, nt, kt} = t;
    if (kt + 1 < ktiles) begin
      next_tile = {p, nt, kt + 32'd1};
    end else if (nt + 1 < ntiles) begin
      next_tile = {p, nt + 32'd1, 32'd0};
    end else begin
      next_tile = {p + 32'd1, 32'd0, 32'd0};
    end
  endfunction

  always_comb begin
    rq_g = geom(rq_q, ins_q.k, ins_q.n);
    ld_g = geom(ld_q, ins_q.k, ins_q.n);
    st_g = geom(st_q, ins_q.k, ins_q.n);
    unique case (instr_i.opcode)
      cd_pkg::OpGemm:    instr_ok = instr_i.m != 0 && instr_i.k != 0 && instr_i.n != 0
                         && instr_i.k % Lanes == 0 && instr_i.weight_addr % (Lanes * 2) == 0;
      cd_pkg::OpSoftmax: instr_ok = instr_i.m != 0 && instr_i.k != 0 && instr_i.k <= SmMaxLen;
      cd_pkg::OpSilu:    instr_ok = instr_i.m != 0 && instr_i.k != 0;
      default:   instr_ok = 1'b0;
    endcase
  end

  assign instr_ready_o = state_q == StIdle;
  assign idle_o        = state_q == StIdle && !gemm_busy_i;
  assign err_o         = err_q;

  ////////////////////
  // Requester      //
  ////////////////////
  assign dreq_valid_o = state_q == StGemm && rq_n_q < tiles_q;
  assign dreq_beat_o  = ins_q.weight_addr / (Lanes * 2) + (rq_q.kt * KtMax * ins_q.n + rq_g.n0 * rq_g.kt_len) / Lanes;
  assign dreq_count_o = rq_g.nt_len * rq_g.bpr;

  ////////////////////
  // Loader         //
  ////////////////////
  // Tile n loads into bank n % 2 once tile n - 2 (same bank) has streamed all its beats.
  logic ld_issue;
  assign ld_issue     = state_q == StGemm && ld_n_q < tiles_q && ld_n_q < st_n_q + 2;
  assign sb_rd_o      = ld_issue && ld_g.tok0 + ld_t_q < ins_q.m;
  assign sb_rd_addr_o = ins_q.input_addr + ((ld_g.tok0 + ld_t_q) * ins_q.k + ld_q.kt * KtMax + ld_r_q * Lanes) * 2;
  assign ibuf_we_o    = pend_q;
  assign ibuf_token_o = pend_t_q;
  assign ibuf_row_o   = pend_r_q;
  // Tokens past M load zeros without a read.
  assign ibuf_data_o  = pend_zero_q ? '0 : sb_rd_data_i;

  ////////////////////
  // Streamer       //
  ////////////////////
  logic st_ready;
  assign st_ready         = state_q == StGemm && st_n_q < tiles_q && loaded_q > st_n_q;
  assign dbeat_ready_o    = st_ready;
  assign beat_valid_o     = st_ready && dbeat_valid_i;
  assign beat_row_o       = {st_n_q[0], RowW'(st_j_q)};
  assign beat_first_o     = st_j_q == 0;
  assign beat_last_o      = st_j_q == st_g.bpr - 1;
  assign beat_zero_init_o = st_q.kt == 0;
  assign beat_final_o     = st_q.kt == ktiles_q - 1;
  assign beat_orow_o      = OrowW'(st_i_q);

  // Finished rows go straight to the stack buffer, [M][N] row-major FP32.
  logic [31:0] res_n0, res_tok0;
  assign {res_n0, res_tok0} = res_base_d2_q;
  assign sb_wr_o        = res_valid_i;
  assign sb_wr_addr_o   = ins_q.output_addr + (res_tok0 * ins_q.n + res_n0 + 32'(res_orow_i)) * 4;
  assign sb_wr_stride_o = ins_q.n * 4;
  assign sb_wr_data_o   = res_data_i;
  for (genvar t = 0; t < Tokens; t++) begin : g_mask
    assign sb_wr_mask_o[t] = res_tok0 + t < ins_q.m;
  end

  // Each walker needs only part of its tile's geometry.
  logic unused_geom;
  assign unused_geom = ^{rq_g.tok0, ld_g.n0, ld_g.kt_len, ld_g.nt_len, st_g.kt_len};

  assign retire_o = (state_q == StDrain && !gemm_busy_i) || (state_q == StActWait && !act_busy_i);

  assign sm_start_o   = state_q == StActStart && ins_q.opcode == cd_pkg::OpSoftmax;
  assign silu_start_o = state_q == StActStart && ins_q.opcode == cd_pkg::OpSilu;
  assign act_rows_o   = ins_q.m;
  // SiLU is element-wise: the whole m x k block is one run.
  assign act_len_o    = (ins_q.opcode == cd_pkg::OpSilu) ? ins_q.m * ins_q.k : ins_q.k;
  assign act_in_o     = ins_q.input_addr;
  assign act_out_o    = ins_q.output_addr;

  logic st_tile_done;
  assign st_tile_done = beat_valid_o && beat_last_o && st_i_q + 1 == st_g.nt_len;

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      StIdle:     if (instr_valid_i && instr_ok) state_d = (instr_i.opcode == cd_pkg::OpGemm) ? StGemm : StActStart;
      StGemm:     if (st_tile_done && st_n_q + 1 == tiles_q) state_d = StDrain;
      StDrain:    if (!gemm_busy_i) state_d = StIdle;
      StActStart: state_d = StActWait;
      StActWait:  if (!act_busy_i) state_d = StIdle;
      default:    state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      ins_q <= '0;
      err_q <= 1'b0;
      {ntiles_q, ktiles_q, tiles_q} <= '0;
      {rq_n_q, ld_n_q, st_n_q, loaded_q} <= '0;
      {rq_q, ld_q, st_q} <= '0;
      {ld_t_q, ld_r_q, st_i_q, st_j_q} <= '0;
      {pend_q, pend_zero_q, pend_last_q} <= '0;
      pend_t_q <= '0;
      pend_r_q <= '0;
      {res_base_d1_q, res_base_d2_q} <= '0;
    end else begin
      state_q <= state_d;
      res_base_d1_q <= {st_g.n0, st_g.tok0};
      res_base_d2_q <= res_base_d1_q;
      // Input-buffer writes land one cycle after their read.
      pend_q      <= ld_issue;
      pend_zero_q <= !sb_rd_o;
      pend_t_q    <= TokW'(ld_t_q);
      pend_r_q    <= {ld_n_q[0], RowW'(ld_r_q)};
      pend_last_q <= ld_issue && ld_t_q + 1 == Tokens && ld_r_q + 1 == ld_g.bpr;
      if (pend_q && pend_last_q) loaded_q <= loaded_q + 1;
      if (state_q == StIdle && instr_valid_i) begin
        ins_q    <= instr_i;
        err_q    <= err_q | !instr_ok;
        ntiles_q <= (instr_i.n + ObufRows - 1) / ObufRows;
        ktiles_q <= (instr_i.k + KtMax - 1) / KtMax;
        tiles_q  <= ((instr_i.m + Tokens - 1) / Tokens) * ((instr_i.n + ObufRows - 1) / ObufRows)
                  * ((instr_i.k + KtMax - 1) / KtMax);
        {rq_n_q, ld_n_q, st_n_q, loaded_q} <= '0;
        {rq_q, ld_q, st_q} <= '0;
        {ld_t_q, ld_r_q, st_i_q, st_j_q} <= '0;
      end
      if (dreq_valid_o && dreq_ready_i) begin
        rq_q   <= next_tile(rq_q, ktiles_q, ntiles_q);
        rq_n_q <= rq_n_q + 1;
      end
      if (ld_issue) begin
        if (ld_r_q + 1 < ld_g.bpr) begin
          ld_r_q <= ld_r_q + 1;
        end else begin
          ld_r_q <= '0;
          if (ld_t_q + 1 < Tokens) begin
            ld_t_q <= ld_t_q + 1;
          end else begin
            ld_t_q <= '0;
            ld_q   <= next_tile(ld_q, ktiles_q, ntiles_q);
            ld_n_q <= ld_n_q + 1;
          end
        end
      end
      if (beat_valid_o) begin
        if (!beat_last_o) begin
          st_j_q <= st_j_q + 1;
        end else begin
          st_j_q <= '0;
          if (st_i_q + 1 < st_g.nt_len) begin
            st_i_q <= st_i_q + 1;
          end else begin
            st_i_q <= '0;
            st_q   <= next_tile(st_q, ktiles_q, ntiles_q);
            st_n_q <= st_n_q + 1;
          end
        end
      end
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
    if (rst_ni && dreq_valid_o && dreq_ready_i && dreq_count_o == 0) begin
      $error("cd_op_ctrl: empty weight stream requested");
    end
    if (rst_ni && beat_valid_o && loaded_q <= st_n_q) begin
      $error("cd_op_ctrl: streaming a tile whose inputs are not loaded");
    end
  end
`endif

endmodule
