"""The Excel workbooks: the shared layout and style, the report and template writers, and the reader."""
