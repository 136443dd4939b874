"""`perfrules rule CODE` explains a check from its own file: what it says, its hints, its settings, how to suppress it."""

from __future__ import annotations

import pytest

from perfrules.checks import all_checks, get_check
from tests.conftest import cli


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.code)
def test_every_check_lists_its_messages_and_hints(check: type) -> None:
    out = cli("rule", check.code)
    assert out.exit_code == 0
    for zh, _en in [*check.messages.values(), *check.hints.values()]:
        assert zh.replace("{{", "{").replace("}}", "}") in out.stdout
    assert f"# noqa: {check.code}" in out.stdout
    assert f"#{check.code.lower()}" in out.stdout


def test_a_check_with_settings_lists_them_with_their_defaults() -> None:
    out = cli("rule", "PR201")
    assert "over-completion-warning = 200%: 完成率达到此值警告目标可能偏低（PR201 warning）" in out.stdout
    assert "{name} 完成率 {rate}（上限 {target}，实际 {actual}）：目标可能设置过松" in out.stdout


def test_english_lists_the_english_texts() -> None:
    check = get_check("PR204")
    assert check is not None
    out = cli("rule", "PR204", "--lang", "en")
    (message, *_rest) = check.messages.values()
    assert message[1].replace("{{", "{").replace("}}", "}") in out.stdout
    assert "perfrules says:" in out.stdout and "perfrules 这样报告" not in out.stdout
