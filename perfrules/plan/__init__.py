"""Stage 2: compile a Document into a Plan (resolved names, base units, checked structure)."""

from perfrules.plan.compile import compile_document
from perfrules.plan.model import Plan

__all__ = ["Plan", "compile_document"]
