"""PR2xx: checks of completion (need actuals)."""
