"""A provider's roster: its offers listed, imported from CSV or XLSX, exported."""
