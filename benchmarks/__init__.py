"""Benchmarks for an IOM board: national partner figures, practice examples, enabling factors and evidence."""
