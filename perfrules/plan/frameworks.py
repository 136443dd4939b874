"""`use`: load a standard framework (rulesets/std) or another rule file and merge the project into it.

Sections of the same name at the same level merge (the project adds its indicators to the
framework's groups, and may restate a weight); a fact the framework declares without a value
takes the project's value.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import fields, is_dataclass, replace
from typing import Any

from perfrules import limits, messages, resources
from perfrules.findings import Finding, Span
from perfrules.messages import Said
from perfrules.syntax import ast, parse, read_source

ALIASES = {
    "评价": "evaluation", "部门评价": "evaluation", "财政评价": "evaluation", "external": "evaluation",
    "自评": "self_evaluation", "自评表": "self_evaluation", "self": "self_evaluation",
    "budget20": "self_evaluation_20", "预算执行20分": "self_evaluation_20",
    "sichuan": "self_evaluation_sichuan", "四川": "self_evaluation_sichuan", "四川自评": "self_evaluation_sichuan",
    "dmoe": "self_evaluation_dmoe", "决策管理": "self_evaluation_dmoe", "决策管理产出效益": "self_evaluation_dmoe",
    "criteria": "evaluation_criteria", "国际评价": "evaluation_criteria", "oecd": "evaluation_criteria",
    "grades80": "self_evaluation_80", "等级80": "self_evaluation_80",
}


def std_names() -> list[str]:
    return sorted(name.removesuffix(".perf") for name in os.listdir(resources.std_dir()) if name.endswith(".perf"))


def project_roots(file: str, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """The folders a rule file may `use` from: its own folder's tree, the shipped std/, and configured roots."""
    return tuple(_resolved(p) for p in (os.path.dirname(file) or os.curdir, resources.std_dir(), *extra))


def locate(path: str, base_file: str, roots: Sequence[str]) -> tuple[str | None, str]:
    """The regular file a `use` names, inside one of `roots`; or None and why not.

    The reason never quotes the target's content: a rule file someone sent must not be able to
    read /etc/passwd into a message, wait on /dev/zero or step out of std/ with `..`.
    """
    if "\x00" in path:
        return None, Said("路径中有空字符", "the path holds a NUL character")
    encoded = path.encode("utf-8", "surrogateescape")
    if len(encoded) > limits.MAX_PATH_BYTES or any(len(part.encode("utf-8", "surrogateescape")) > limits.MAX_NAME_BYTES
                                                   for part in path.split("/")):
        return None, Said(f"路径太长（不超过 {limits.MAX_PATH_BYTES} 字节，每一段不超过 {limits.MAX_NAME_BYTES} 字节）",
                          f"the path is too long (at most {limits.MAX_PATH_BYTES} bytes, {limits.MAX_NAME_BYTES} a part)")
    if path.startswith("std/"):
        name = path[4:].removesuffix(".perf")
        name = ALIASES.get(name, name)
        if name not in std_names():
            return None, Said("标准框架中没有这一项，可用：" + _std_options(),
                              "no such standard framework; there are: " + _std_options(", "))
        return os.path.join(resources.std_dir(), f"{name}.perf"), ""
    if os.path.isabs(path) or path.startswith("~"):
        return None, Said("不能引用绝对路径：请写相对于本文件的路径（如 use \"common/框架.perf\"）",
                          'an absolute path cannot be used: write it relative to this file (use "common/框架.perf")')
    try:
        target = _resolved(os.path.join(os.path.dirname(base_file), path))  # symlinks followed: where it really is
        if not any(_inside(target, root) for root in roots):
            return None, Said("在项目目录之外：只能引用本文件所在目录（含子目录）、std/ 和设置中 roots 列出的目录中的文件"
                              "（在 pyproject.toml 的 [tool.perfrules] 或 perfrules.toml 中写 roots = [\"../共用\"]）",
                              "outside the project: only files in this file's folder (and below), std/ and the roots of "
                              "the settings can be used (write roots = [\"../共用\"] in [tool.perfrules] of "
                              "pyproject.toml or in perfrules.toml)")
        if not os.path.exists(target):
            return None, Said("找不到文件，可用的标准框架：" + _std_options(),
                              "no such file; the standard frameworks are: " + _std_options(", "))
        if not os.path.isfile(target):
            return None, Said("不是普通文件（目录、设备或管道不能引用）",
                              "not a regular file (a folder, device or pipe cannot be used)")
    except OSError as error:
        return None, messages.os_reason(error)
    return target, ""


def _std_options(separator: str = "、") -> str:
    return separator.join("std/" + n for n in std_names())


def _resolved(path: str) -> str:
    """The absolute path with every link followed (os.path.realpath): where the file really is."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):
        return os.path.abspath(path)


def _inside(target: str, root: str) -> bool:
    """Whether the resolved `target` is `root` or under it, part by part (`/a/bc` is not under `/a/b`)."""
    target, root = os.path.normcase(target), os.path.normcase(root)
    return target == root or target.startswith(root if root.endswith(os.sep) else root + os.sep)


def apply_uses(doc: ast.Document, findings: list[Finding], roots: Sequence[str] = (),
               sources: dict[str, str] | None = None, seen: tuple[str, ...] = (),
               allowed: tuple[str, ...] | None = None, top: str | None = None) -> ast.Document:
    """The document with every framework it `use`s merged in (frameworks first).

    `roots` are configured folders besides the top file's own and std/; `allowed` is the whole
    set, computed once from the top file and kept for the files it uses. The text of every file
    read is put in `sources` (by the path its spans name, `shown_path`), so messages can quote it
    without opening files again. `top`: the file the user named (the first document's), whose
    path the paths of the files it uses are shown like.
    """
    if not doc.uses:
        return doc
    if allowed is None:
        allowed = project_roots(doc.file, roots)
    top = doc.file if top is None else top
    for use in doc.uses:
        target, why = locate(use.path, doc.file, allowed)
        if target is None:
            findings.append(Finding.make("PR016", use.span, name=use.path, reason=why))
            continue
        if target in seen or target == _resolved(doc.file):
            findings.append(Finding.make("PR016", use.span, name=use.path, reason=Said("循环引用", "it uses itself")))
            continue
        if len(seen) >= limits.MAX_NESTING:
            findings.append(Finding.make("PR016", use.span, name=use.path,
                                         reason=Said(f"引用嵌套超过 {limits.MAX_NESTING} 层",
                                                     f"uses nested deeper than {limits.MAX_NESTING} levels")))
            continue
        std = use.path.startswith("std/")
        shown = target if std else shown_path(target, top)
        text, base, problems = read_framework(target, shown)
        findings.extend(problems)
        if text is None or base is None:
            continue
        if sources is not None:
            sources[shown] = text
        base = apply_uses(base, findings, roots, sources, (*seen, target), allowed, top)
        if std:  # point at the `use` line: the user cannot edit a shipped framework
            base = respan(base, use.span)
            # ... or, for a row whose actual the project writes, at that line: where its reason or score goes
            base = replace(base, body=_at_actuals(base.body, {a.name.text: a.span for a in doc.actuals}))
        doc = merge(base, doc, findings)
    return doc


def shown_path(target: str, top: str) -> str:
    """The path of a used file (`target`, resolved) as the findings located in it show it: like `top`'s.

    A file in the folder (tree) of `top` is shown from `top`'s folder as the user named it
    (`rulesets/base.perf` for `rulesets/project.perf`); one elsewhere (a configured root) relative to the
    current folder when `top` is relative, else absolute. Every face shows these paths as it shows the
    top file's (lint text, github, SARIF, JUnit): the resolved path would be absolute.
    """
    folder = os.path.dirname(top)
    try:
        inner = os.path.relpath(target, _resolved(folder or os.curdir))
        if inner != os.pardir and not inner.startswith(os.pardir + os.sep):
            return os.path.join(folder, inner)
        return target if os.path.isabs(top) else os.path.relpath(target)
    except ValueError:  # another drive (Windows)
        return target


def reached(doc: ast.Document, roots: Sequence[str] = ()) -> dict[str, Span]:
    """The `use` line of `doc` through which each file it uses (directly or through another) is read, by shown path.

    The language server shows a finding located in such a file at that line (a used file's lines are
    not the document's), and JUnit counts it in the suite of the file linted. Files are read from the
    parse cache (`read_framework`), as the compile read them; std/ frameworks are left out (their
    findings are at the use line already).
    """
    out: dict[str, Span] = {}
    if not any(not u.path.startswith("std/") for u in doc.uses):
        return out
    allowed = project_roots(doc.file, roots)

    def walk(node: ast.Document, via: Span | None, seen: tuple[str, ...]) -> None:
        for use in node.uses:
            target, _why = locate(use.path, node.file, allowed)
            if target is None or use.path.startswith("std/") or target in seen or len(seen) > limits.MAX_NESTING:
                continue
            shown = shown_path(target, doc.file)
            line = out.setdefault(shown, via or use.span)
            _text, used, _problems = read_framework(target, shown)
            if used is not None:
                walk(used, line, (*seen, target))

    walk(doc, None, (_resolved(doc.file),))
    return out


# Every file a `use` read, parsed, by resolved path and the path its spans name: (modification time in ns,
# size), text, document, findings. A batch of 200 projects using std/ reads and parses std/ once per process;
# an edited file is read again.
_PARSED: dict[tuple[str, str], tuple[tuple[int, int], str, ast.Document, tuple[Finding, ...]]] = {}


def read_framework(target: str, shown: str | None = None) -> tuple[str | None, ast.Document | None, list[Finding]]:
    """The text and document of a file a `use` names, with its read and syntax findings; parsed once per version.

    `shown`: the path its spans name (`shown_path`; the resolved `target` when not given). The cache holds
    while the file's modification time and size stay the same (documents and findings are immutable, so runs
    can share them); a file that cannot be read is not kept, and is tried again next time.
    """
    key = (target, shown or target)
    try:
        info = os.stat(target)
        stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    cached = _PARSED.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2], list(cached[3])
    text, problems = read_source(target)  # the file `locate` let through, whatever links its shown path crosses
    if text is None:
        return None, None, problems
    doc, problems = parse(text, key[1])
    if stamp is not None:
        _PARSED[key] = (stamp, text, doc, tuple(problems))
    return text, doc, problems


def respan(node: Any, span: Span) -> Any:
    """`node` with every Span inside it replaced by `span`."""
    if isinstance(node, Span):
        return span
    if isinstance(node, tuple):
        return tuple(respan(item, span) for item in node)
    if is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: respan(getattr(node, f.name), span) for f in fields(node)
                   if f.name != "text"}
        return replace(node, **changes)
    return node


def _at_actuals(nodes: tuple[ast.Section | ast.Indicator | ast.Check, ...],
                lines: dict[str, Span]) -> tuple[ast.Section | ast.Indicator | ast.Check, ...]:
    """Framework indicators pointed at the project's actual line of the same name, when it writes one."""
    out: list[ast.Section | ast.Indicator | ast.Check] = []
    for node in nodes:
        if isinstance(node, ast.Section):
            node = replace(node, children=_at_actuals(node.children, lines))
        elif isinstance(node, ast.Indicator) and node.name.text in lines:
            node = respan(node, lines[node.name.text])
        out.append(node)
    return tuple(out)


def merge(base: ast.Document, project: ast.Document, findings: list[Finding]) -> ast.Document:
    meta = project.meta if project.meta.span else base.meta
    if project.meta.span and base.meta.span:
        meta = replace(
            project.meta,
            kind=project.meta.kind or base.meta.kind,
            total=project.meta.total if project.meta.total is not None else base.meta.total,
            rounding_places=project.meta.rounding_places if project.meta.rounding_places is not None
            else base.meta.rounding_places,
            rounding_mode=project.meta.rounding_mode or base.meta.rounding_mode,
            tiers=project.meta.tiers or base.meta.tiers,
        )
    return replace(
        project,
        meta=meta,
        grades=project.grades or base.grades,
        grades_span=project.grades_span or base.grades_span,
        facts=_merge_facts(base.facts, project.facts),
        body=_merge_body(base.body, project.body),
        actuals=base.actuals + project.actuals,
        expect=base.expect + project.expect,
        policy=base.policy + project.policy,
        uses=(),
    )


def _merge_facts(base: tuple[ast.Fact, ...], project: tuple[ast.Fact, ...]) -> tuple[ast.Fact, ...]:
    given = {f.name.text for f in project}
    kept = tuple(f for f in base if not (f.expr is None and f.name.text in given))
    return kept + project


def _merge_body(base: tuple[ast.Section | ast.Indicator | ast.Check, ...],
                project: tuple[ast.Section | ast.Indicator | ast.Check, ...]) -> tuple[ast.Section | ast.Indicator | ast.Check, ...]:
    merged = list(base)
    for node in project:
        if isinstance(node, ast.Section):
            match = next((i for i, b in enumerate(merged)
                          if isinstance(b, ast.Section) and b.name.text == node.name.text), None)
            if match is not None:
                old = merged[match]
                assert isinstance(old, ast.Section)
                clauses = node.clauses if node.clauses.weight is not None else old.clauses
                merged[match] = replace(old, clauses=clauses, children=_merge_body(old.children, node.children))
                continue
        merged.append(node)
    return tuple(merged)
