"""The language server in a real editor: Neovim's built-in client, headless (skipped when nvim is absent)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="Neovim (nvim) is not installed")

RULES = """ruleset "t" {
}
dimension 产出 weight 100 {
  "𠀀培训人数" >= 400 人 weight 100
}
actuals {
  "𠀀培训人数" = 450 次
}
"""

SCRIPT = """
local client = vim.lsp.start_client({ name = "perfrules", cmd = { %(python)s, "-m", "perfrules", "lsp" },
                                      root_dir = %(root)s })
vim.cmd("edit " .. %(file)s)
vim.lsp.buf_attach_client(0, client)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
local out = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local line = vim.api.nvim_buf_get_lines(0, d.lnum, d.lnum + 1, false)[1]
  table.insert(out, string.format("%%d|%%s|%%s", d.lnum + 1, string.sub(line, d.col + 1, d.end_col), d.message))
end
vim.fn.writefile(out, %(out)s)
vim.cmd("qa!")
"""


def lua(text: str | Path) -> str:
    return '"' + str(text).replace("\\\\", "\\\\\\\\").replace('"', '\\\\"') + '"'


def test_neovim_underlines_exactly_the_actual_on_a_cjk_and_non_bmp_line(tmp_path: Path) -> None:
    rules = tmp_path / "t.perf"
    rules.write_text(RULES, encoding="utf-8")
    out = tmp_path / "out.txt"
    script = tmp_path / "init.lua"
    script.write_text(SCRIPT % {"python": lua(sys.executable), "root": lua(tmp_path), "file": lua(rules),
                                "out": lua(out)}, encoding="utf-8")
    assert NVIM is not None
    subprocess.run([NVIM, "--headless", "-u", "NONE", "-c", f"luafile {script}"], timeout=60, check=True,
                   capture_output=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == ["7|450 次|𠀀培训人数 的实际值单位 次 与目标单位 人 不同，不能混算"]
