// SPDX-License-Identifier: Apache-2.0
// BEHAVIOURAL, NOT SYNTHESIZABLE: one HBM3 pseudo-channel seen through its bank bundles, with a simple
// open-page controller. A column read (RD) on a bundle reads 8 banks x 256 bits at once [T] and returns
// BeatsPerCol weight beats; rows open with ACT after tRP, read after tRCD, close with PRE after tRAS and
// tRTP; REF stops a bundle for tRFC every tREFI. Storage lives in the harness (DPI), commands are reported
// to it (DPI) so C# can check their timing. One module clock = 1/650 MHz ~ 2 HBM3 tCK (0.77 ns) [T]:
// every timing is the hardware description's tCK count halved and rounded up [I].
module cd_dram_bundle #(
  parameter int unsigned Lanes       = 8,
  parameter int unsigned BeatsPerCol = 2,     // [I] 256 B per RD at 64 lanes = 2 beats of 64 FP16
  parameter int unsigned ColsPerRow  = 32,    // [C] 32 columns per bank row
  parameter int unsigned Bundles     = 1,     // bank bundles that consecutive rows alternate over
  parameter int unsigned FifoBeats   = 32,
  // HBM3 timing in module cycles. No numbers here: the harness passes every one with -G from the hardware
  // description's MemoryTiming (BankBundleTiming.cs, halved from tCK and rounded up [I]), the same source the
  // C# timing model reads; 0 means "not passed" and stops the simulation at time 0.
  parameter longint TRcd        = 0,     // nRCDRD
  parameter longint TRp         = 0,     // nRP
  parameter longint TRas        = 0,     // nRAS
  parameter longint TRc         = 0,     // nRC
  parameter longint TCcd        = 0,     // nCCDL (bank-bundle reads use tCCD_L [T])
  parameter longint TRtp        = 0,     // nRTPL
  parameter longint TRrd        = 0,     // nRRDL
  parameter longint TCl         = 0,     // nCL
  parameter longint TRfc        = 0,     // nRFCSB; one REF stands for the bundle's REFsb [I]
  parameter longint TRefi       = 0      // nREFI
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                freeze_i,      // test hook: the model stops issuing and returning data
  // stream request: beats [beat_i, beat_i + count_i) of Lanes FP16, in address order
  input  logic                req_valid_i,
  output logic                req_ready_o,
  input  logic [31:0]         req_beat_i,
  input  logic [31:0]         req_count_i,
  // weight beats, in request order
  output logic                beat_valid_o,
  input  logic                beat_ready_i,
  output logic [Lanes*16-1:0] beat_data_o
);
  import "DPI-C" function longint unsigned cd_dram_read64(input longint unsigned byte_addr);
  import "DPI-C" function void cd_dram_cmd(input longint unsigned cycle, input int unsigned kind,
                                           input int unsigned bundle, input int unsigned row,
                                           input int unsigned col);

  localparam int unsigned DelayLen = int'(TCl) + BeatsPerCol;
  // 64-bit copies so that cycle arithmetic stays one width.
  localparam longint      LBundles = longint'(Bundles), LCols = longint'(ColsPerRow),
                          LBeats = longint'(BeatsPerCol);
  localparam int          CmdAct = 1, CmdRd = 2, CmdPre = 3, CmdRef = 4;
  localparam longint      Never = -1000000;

  initial begin
    if (TRcd < 1 || TRp < 1 || TRas < 1 || TRc < 1 || TCcd < 1 || TRtp < 1 || TRrd < 1 || TCl < 1 || TRfc < 1
        || TRefi < 1) begin
      $fatal(1, "cd_dram_bundle: HBM timing parameters not set (the harness passes them with -G)");
    end
  end

  longint now;
  // Stream state: next column to read and the beat range that belongs to the stream.
  longint col_q, col_end_q, lo_q, hi_q;
  // Bank-bundle state.
  bit     open_q   [Bundles];
  longint row_q    [Bundles];
  longint act_t    [Bundles];
  longint pre_t    [Bundles];
  longint rd_t     [Bundles];
  longint ref_done [Bundles];
  longint next_ref [Bundles];
  longint last_act, last_rd;
  // Read data in flight: beat address per slot, slot 0 arrives next.
  bit     dl_valid [DelayLen];
  longint dl_addr  [DelayLen];
  int     inflight;
  // Output FIFO.
  logic [Lanes*16-1:0] fifo [FifoBeats];
  int     head, count;
  // What other processes see: published with nonblocking assignments at the end of each cycle, so the
  // consumers never race the blocking working state above.
  logic   ready_q, valid_q;
  int     head_q;

  function automatic bit can_act(int b);
    return !open_q[b] && now >= pre_t[b] + TRp && now >= act_t[b] + TRc && now >= last_act + TRrd
        && now >= ref_done[b];
  endfunction
  function automatic bit can_pre(int b);
    return open_q[b] && now >= act_t[b] + TRas && now >= rd_t[b] + TRtp;
  endfunction
  function automatic bit can_ref(int b);
    return !open_q[b] && now >= pre_t[b] + TRp && now >= ref_done[b];
  endfunction

  assign req_ready_o  = ready_q;
  assign beat_valid_o = valid_q;
  assign beat_data_o  = fifo[head_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      now = 0; col_q = 0; col_end_q = 0; lo_q = 0; hi_q = 0;
      last_act = Never; last_rd = Never; inflight = 0; head = 0; count = 0;
      for (int b = 0; b < Bundles; b++) begin
        open_q[b] = 0; row_q[b] = 0; act_t[b] = Never; pre_t[b] = Never; rd_t[b] = Never;
        ref_done[b] = Never; next_ref[b] = TRefi + TRefi * longint'(b) / LBundles;
      end
      for (int i = 0; i < DelayLen; i++) begin dl_valid[i] = 0; dl_addr[i] = 0; end
      ready_q <= 1'b1;
      valid_q <= 1'b0;
      head_q  <= 0;
    end else begin
      // Both handshakes are decided on the values the other side saw this cycle.
      bit accept, pop;
      accept = req_valid_i && ready_q;
      pop    = beat_ready_i && valid_q;
      // Pop first: a beat taken this cycle frees its slot for data arriving this cycle.
      if (pop) begin
        head = (head + 1) % FifoBeats;
        count = count - 1;
      end
      if (!freeze_i) begin
        // Arriving data.
        if (dl_valid[0]) begin
          logic [Lanes*16-1:0] d;
          for (int w = 0; w < Lanes / 4; w++) begin
            d[w*64 +: 64] = cd_dram_read64(64'(dl_addr[0]) * 64'(Lanes * 2) + 64'(w * 8));
          end
          fifo[(head + count) % FifoBeats] <= d;
          count = count + 1;
          inflight = inflight - 1;
        end
        for (int i = 0; i < DelayLen - 1; i++) begin
          dl_valid[i] = dl_valid[i+1];
          dl_addr[i]  = dl_addr[i+1];
        end
        dl_valid[DelayLen-1] = 0;
        issue();
        now = now + 1;
      end
      if (accept) begin
        lo_q      = longint'(req_beat_i);
        hi_q      = longint'(req_beat_i) + longint'(req_count_i);
        col_q     = lo_q / LBeats;
        col_end_q = (hi_q + LBeats - 1) / LBeats;
      end
      ready_q <= col_q >= col_end_q;
      valid_q <= count > 0;
      head_q  <= head;
    end
  end

  // One command per cycle: refresh first, then the read the stream needs, then getting its row open,
  // then opening the next row in another bundle ahead of time.
  task automatic issue();
    longint rg, nrg;
    int     b, nb;
    longint row, nrow;
    bit     active;
    active = col_q < col_end_q;
    rg   = col_q / LCols;
    b    = int'(rg % LBundles);
    row  = rg / LBundles;
    nrg  = rg + 1;
    nb   = int'(nrg % LBundles);
    nrow = nrg / LBundles;
    for (int r = 0; r < Bundles; r++) begin
      if (now >= next_ref[r]) begin
        if (open_q[r] && can_pre(r)) begin cmd_pre(r); return; end
        if (can_ref(r)) begin
          cd_dram_cmd(64'(now), CmdRef, r, 0, 0);
          ref_done[r] = now + TRfc;
          next_ref[r] = next_ref[r] + TRefi;
          return;
        end
      end
    end
    if (!active) return;
    if (now < next_ref[b] && open_q[b] && row_q[b] == row) begin
      if (now >= act_t[b] + TRcd && now >= last_rd + TCcd
          && count + inflight + BeatsPerCol <= FifoBeats) begin
        cd_dram_cmd(64'(now), CmdRd, b, 32'(row), 32'(col_q % LCols));
        rd_t[b] = now;
        last_rd = now;
        for (int j = 0; j < BeatsPerCol; j++) begin
          longint a;
          a = col_q * LBeats + longint'(j);
          if (a >= lo_q && a < hi_q) begin
            dl_valid[int'(TCl) - 1 + j] = 1;
            dl_addr[int'(TCl) - 1 + j]  = a;
            inflight = inflight + 1;
          end
        end
        col_q = col_q + 1;
        return;
      end
    end else if (now < next_ref[b] && open_q[b]) begin
      if (can_pre(b)) begin cmd_pre(b); return; end
    end else if (now < next_ref[b]) begin
      if (can_act(b)) begin cmd_act(b, row); return; end
    end
    // Pull a refresh in (JEDEC allows refreshing early) while the stream is busy in another bundle:
    // the refresh then hides behind that bundle's row instead of stopping the stream later.
    if (Bundles > 1 && nb != b && now >= next_ref[nb] - TRefi / 2) begin
      if (open_q[nb] && can_pre(nb)) begin cmd_pre(nb); return; end
      if (can_ref(nb)) begin
        cd_dram_cmd(64'(now), CmdRef, nb, 0, 0);
        ref_done[nb] = now + TRfc;
        next_ref[nb] = next_ref[nb] + TRefi;
        return;
      end
    end
    // Look ahead: open the stream's next row if it lives in another bundle.
    if (Bundles > 1 && nb != b && nrg * LCols < col_end_q && now < next_ref[nb] - TRefi / 2) begin
      if (open_q[nb] && row_q[nb] != nrow && can_pre(nb)) begin cmd_pre(nb); return; end
      if (!open_q[nb] && can_act(nb)) begin cmd_act(nb, nrow); return; end
    end
  endtask

  // Handshake: a beat on offer stays on offer, unchanged, until taken.
  logic                stall_q;
  logic [Lanes*16-1:0] offered_q;
  always_ff @(posedge clk_i) begin
    stall_q   <= rst_ni && beat_valid_o && !beat_ready_i;
    offered_q <= beat_data_o;
    if (rst_ni && stall_q && (!beat_valid_o || beat_data_o != offered_q)) begin
      $error("cd_dram_bundle: offered beat withdrawn or changed before it was taken");
    end
  end

  task automatic cmd_pre(int b);
    cd_dram_cmd(64'(now), CmdPre, b, 32'(row_q[b]), 0);
    open_q[b] = 0;
    pre_t[b] = now;
  endtask

  task automatic cmd_act(int b, longint row);
    cd_dram_cmd(64'(now), CmdAct, b, 32'(row), 0);
    open_q[b] = 1;
    row_q[b] = row;
    act_t[b] = now;
    last_act = now;
  endtask

endmodule
