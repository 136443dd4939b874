"""PR4xx: checks of targets against earlier years (need `--history` or a `history` block)."""
