"""Stage 1: text to a Document (the AST), with located syntax findings."""

from perfrules.syntax.parser import parse, parse_value, read_source

__all__ = ["parse", "parse_value", "read_source"]
