"""Stage 4: render results and findings (one module per output format)."""
