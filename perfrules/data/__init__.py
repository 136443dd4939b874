"""Actuals from data files (JSON, YAML): `perfrules eval FILE --data actuals.json`."""
