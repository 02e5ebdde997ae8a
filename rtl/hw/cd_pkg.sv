// SPDX-License-Identifier: Apache-2.0
// Shared Logic-PIM definitions: the fixed 256-bit instruction layout (mirror of pim.proto / PimEncoding.cs).
package cd_pkg;

  // One instruction = eight little-endian 32-bit words; word 0 bits [7:0] hold the opcode.
  localparam int unsigned InstrWords = 8;
  localparam int unsigned InstrWidth = InstrWords * 32;

  typedef enum logic [7:0] {
    OpUnspecified = 8'd0,
    OpGemm        = 8'd1,
    OpSoftmax     = 8'd2,
    OpSilu        = 8'd3
  } opcode_e;

  // Packed structs list the most significant field first, so word 7 comes first here.
  typedef struct packed {
    logic [31:0] reserved;
    logic [31:0] output_addr;  // byte address in the stack buffer (results, FP32)
    logic [31:0] input_addr;   // byte address in the stack buffer (activations, FP16)
    logic [31:0] weight_addr;  // byte address in the pseudo-channel's bank-bundle space (FP16)
    logic [31:0] n;            // output features
    logic [31:0] k;            // reduction length
    logic [31:0] m;            // tokens
    logic [23:0] flags;
    opcode_e     opcode;
  } instr_t;

  localparam logic [31:0] Fp32QNaN = 32'h7FC0_0000;  // the one NaN every unit emits

endpackage
