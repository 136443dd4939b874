"""Imported by the fork server: run each command once so every child starts warm (lazy imports done)."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path


def _warm() -> None:
    from click.testing import CliRunner

    from perfrules.cli import main

    root = Path(__file__).resolve().parents[2]
    seed = str(root / "rulesets" / "examples" / "retiree-services-2023.perf")
    other = str(root / "rulesets" / "examples" / "minimum-living-allowance-2023.perf")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp, "d.yaml")
        data.write_text("资格认证人数: 80646\n", encoding="utf-8")
        plan = str(Path(tmp, "plan.json"))
        form = Path(tmp, "form.csv")
        form.write_text("三级指标,指标值,实际完成值,分值,得分\n人数,≥10人,12人,100,100\n", encoding="utf-8")
        broken = Path(tmp, "broken.perf")  # syntax errors take the lark path: build that parser here once
        broken.write_text("x >= weight 100\ngroup g {\n  y = (1 + ) >= 2 人 weight 5 ＞＝\n}}\n\u2028\"\n", encoding="utf-8")
        runs = [["check", str(broken)], ["fmt", "--check", str(broken)], ["eval", str(broken)],
                ["lint", str(broken)], ["compile", str(broken)], ["check", seed, other], ["eval", seed], ["lint", seed], ["fmt", "--check", seed],
                ["eval", seed, "--data", str(data)], ["compile", seed, "-o", plan], ["eval", "--plan", plan],
                ["import", str(form)], ["audit", str(form)], ["audit", seed]]
        for args in runs:
            CliRunner().invoke(main, args)
        with contextlib.suppress(Exception):
            import openpyxl

            book = openpyxl.Workbook()
            book.active.append(["指标名称", "实际完成值"])
            book.active.append(["资格认证人数", 80646])
            book.save(Path(tmp, "d.xlsx"))
            CliRunner().invoke(main, ["eval", seed, "--data", str(Path(tmp, "d.xlsx"))])
            CliRunner().invoke(main, ["import", str(Path(tmp, "d.xlsx"))])
    io.StringIO()


with contextlib.suppress(Exception):
    _warm()
