namespace CoDesign.Machine;

public enum Bound { Compute, Memory, Overhead }
