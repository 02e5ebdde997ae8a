// SPDX-License-Identifier: Apache-2.0
// Pairwise binary32 adder tree: each level adds neighbours 2i and 2i+1 (the golden model's order).
// Recursive so that each level is its own signal (one array across levels looks circular to Verilator).
module cd_adder_tree #(
  parameter int unsigned Leaves = 8
) (
  input  logic                 en_i,   // low: output +0, adders idle (operand isolation)
  input  logic [Leaves*32-1:0] leaves_i,
  output logic [31:0]          sum_o
);
  if (Leaves == 1) begin : g_leaf
    assign sum_o = en_i ? leaves_i : 32'h0;
  end else begin : g_level
    logic [(Leaves/2)*32-1:0] pairs;
    for (genvar i = 0; i < Leaves / 2; i++) begin : g_add
      cd_fp32_add u_add (
        .en_i,
        .a_i (leaves_i[(2*i)*32 +: 32]),
        .b_i (leaves_i[(2*i+1)*32 +: 32]),
        .s_o (pairs[i*32 +: 32])
      );
    end
    cd_adder_tree #(.Leaves(Leaves / 2)) u_next (
      .en_i,
      .leaves_i (pairs),
      .sum_o    (sum_o)
    );
  end

  // Leaves must be a power of two so that every level pairs up exactly.
`ifndef SYNTHESIS
  initial begin
    if ((Leaves & (Leaves - 1)) != 0) $fatal(1, "cd_adder_tree: Leaves=%0d is not a power of two", Leaves);
  end
`endif

endmodule
