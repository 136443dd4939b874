"""PR9xx: checks about the checks themselves."""
