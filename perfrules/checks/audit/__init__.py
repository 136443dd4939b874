"""PR3xx: audit of published score tables (need published scores or an expect block)."""
