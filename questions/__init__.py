"""The question bank: TOML data files, the pydantic models of their schema, and the loader that validates them."""
