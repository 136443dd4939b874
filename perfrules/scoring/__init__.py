"""Stage 3: evaluate a Plan against actuals into a Result."""

from perfrules.scoring.evaluate import evaluate
from perfrules.scoring.result import Result

__all__ = ["Result", "evaluate"]
