"""Open-data exports of the marketplace's lists: CSV, HXL-tagged CSV, JSON and XLSX, streamed."""
