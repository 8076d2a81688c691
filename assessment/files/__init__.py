"""Every file the app reads or writes: upload safety checks, JSON, and the Excel workbooks."""
