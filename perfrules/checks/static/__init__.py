"""PR1xx: static checks of a ruleset's indicator system (no actuals needed)."""
