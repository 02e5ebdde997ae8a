namespace CoDesign.Reports;

public enum OutputFormat { Table, Json, Csv }
