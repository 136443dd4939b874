"""Lint output formats: text lines, JSON, SARIF 2.1.0, GitHub workflow annotations, JUnit XML."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from perfrules import __version__
from perfrules.checks.baseline import fingerprint, relative
from perfrules.checks.registry import REPOSITORY, docs_url
from perfrules.findings import Finding
from perfrules.messages import hint_label

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB = {"error": "error", "warning": "warning", "info": "notice"}


def _rule_meta(code: str, lang: str) -> tuple[str, str, str, str]:
    """(name, short description, full description, default level) for any code."""
    from perfrules.checks import get_check
    from perfrules.messages import CODES

    check = get_check(code)
    if check is not None:
        title = check.title if lang != "en" else check.title_en
        return check.__name__, title, check.doc().strip(), check.severity.value
    entry = CODES.get(code)
    if entry is None:
        return code, code, code, "error"
    title = entry.title_zh if lang != "en" else entry.title_en
    return "LanguageError", title, title, entry.severity


def text(findings: list[Finding], lang: str, colour: bool) -> str:
    import click

    lines = []
    for f in findings:
        span = f.span
        where = f"{span.file}:{span.line}:{span.column}:" if span else "-:"
        code = click.style(f.code, fg={"error": "red", "warning": "yellow", "info": "cyan"}[f.severity.value],
                           bold=True) if colour else f.code
        lines.append(f"{where} {code} {severity_word(f.severity.value, lang)} {said(f, lang)}")
    return "\n".join(lines)


def said(finding: Finding, lang: str, separator: str = "；") -> str:
    """The message and, after it, the hint (`是不是 weight？`): the one-line formats show what JSON's `hint` holds."""
    message, hint = finding.message(lang) + finding.through(lang), finding.hint(lang)  # a used file's: its use line
    if not hint:
        return message
    if lang == "en":
        return f"{message}{'; ' if separator == '；' else separator}{hint_label(lang)}{hint}"
    return f"{message}{separator}{hint_label(lang)}{hint}"


def severity_word(severity: str, lang: str) -> str:
    """The severity as eval prints it: 错误/警告/提示, or error/warning/info in English."""
    return severity if lang == "en" else {"error": "错误", "warning": "警告", "info": "提示"}[severity]


def statistics(findings: list[Finding], lang: str) -> str:
    counts = Counter(f.code for f in findings)
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rows.append(f"{count:>6}  {code}  {_rule_meta(code, lang)[1]}")
    return "\n".join(rows)


def as_json(findings: list[Finding], files: list[str], lang: str) -> str:
    counts = Counter(f.severity.value for f in findings)
    data = {
        "format": "perfrules-lint/1",
        "files": files,
        "summary": {"files": len(files), "findings": len(findings), "error": counts["error"],
                    "warning": counts["warning"], "info": counts["info"]},
        "findings": [{**f.to_dict(lang), "title": _rule_meta(f.code, lang)[1]} for f in findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def sarif(findings: list[Finding], lang: str, root: Path, sources: dict[str, list[str]]) -> str:
    codes = sorted({f.code for f in findings})
    rules = []
    for code in codes:
        name, short, full, level = _rule_meta(code, lang)
        rules.append({
            "id": code,
            "name": name,
            "shortDescription": {"text": short},
            "fullDescription": {"text": full.split("\n\n")[0]},
            "help": {"text": full, "markdown": full},
            "helpUri": docs_url(code),
            "defaultConfiguration": {"level": LEVELS[level]},
            "properties": {"tags": ["perfrules", code[:3]]},
        })
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": LEVELS[f.severity.value],
            "message": {"text": said(f, lang, "\n")},
        }
        if f.span is not None:
            uri = quote(relative(f.span.file, root), safe="/")
            region: dict[str, int] = {"startLine": f.span.line, "startColumn": f.span.column}
            if f.span.end_line >= f.span.line:
                region["endLine"] = f.span.end_line
                if f.span.end_line > f.span.line or f.span.end_column > f.span.column:
                    region["endColumn"] = f.span.end_column
            result["locations"] = [{"physicalLocation": {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": region}}]
            result["partialFingerprints"] = {"perfrulesFinding/v1": fingerprint(f, root, sources)}
        if f.via is not None:  # the use line of the linted file through which the file of the finding was read
            result["relatedLocations"] = [{
                "id": 1, "message": {"text": f.through(lang).strip(" （）()")},
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(relative(f.via.file, root), safe="/"), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.via.line, "startColumn": f.via.column}}}]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "perfrules", "version": __version__, "semanticVersion": __version__,
                                "informationUri": REPOSITORY, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def github(findings: list[Finding], lang: str, root: Path) -> str:
    """GitHub Actions workflow commands: `::warning file=...,line=...::message`."""
    lines = []
    for f in findings:
        props = []
        if f.span is not None:
            props += [f"file={_prop(relative(f.span.file, root))}", f"line={f.span.line}", f"col={f.span.column}"]
            if f.span.end_line == f.span.line and f.span.end_column > f.span.column:
                props += [f"endLine={f.span.end_line}", f"endColumn={f.span.end_column}"]
        props.append(f"title={_prop(f.code + ' ' + _rule_meta(f.code, lang)[1])}")
        lines.append(f"::{GITHUB[f.severity.value]} {','.join(props)}::{_data(said(f, lang, chr(10)))}")
    return "\n".join(lines)


def junit(findings: list[Finding], files: list[str], lang: str, fail_on: str = "error",
          fail_on_of: Mapping[str, str] | None = None) -> str:
    """JUnit XML: a suite per file linted, a test case per finding (named by code, place and the name it is about,
    unique in its suite); a finding at or above `fail_on` is a failure (so the report fails exactly when lint
    without --exit-zero would exit 1), the others pass with their message as output.

    A finding located in a file a linted one `use`s counts in the suite of the linted file it came through
    (`via`), its test case named with its own place: the suites are the files linted, and their tests add up
    to the findings the text format counts. `fail_on_of` gives a file's own level (its settings file's `fail-on`,
    as lint's exit status takes it), `fail_on` the others'."""
    from xml.etree import ElementTree as ET

    levels = {"error": 3, "warning": 2, "info": 1}
    suites = ET.Element("testsuites", name="perfrules")
    by_file: dict[str, list[Finding]] = {file: [] for file in files}
    for f in findings:
        by_file.setdefault(f.via.file if f.via else f.span.file if f.span else "-", []).append(f)
    tests_total = failures_total = 0
    for file, found in by_file.items():
        level = levels[(fail_on_of or {}).get(file, fail_on)]
        failing = [f for f in found if f.severity.rank >= level]
        tests = max(len(found), 1)
        suite = ET.SubElement(suites, "testsuite", name=file, tests=str(tests),
                              failures=str(len(failing)), errors="0", skipped="0")
        tests_total += tests
        failures_total += len(failing)
        if not found:
            ET.SubElement(suite, "testcase", classname=file, name="perfrules lint")
        named: Counter[str] = Counter()
        for f in found:
            where = f"{f.span.line}:{f.span.column}" if f.span else "-"
            subject = f.arg("name")
            place = where if f.span is None or f.span.file == file else f"{f.span.file}:{where}"
            name = f"{f.code} {place}" + (f" {subject}" if isinstance(subject, str) and subject else "")
            named[name] += 1  # test case names are unique in a suite: two findings of one code at one place numbered
            case = ET.SubElement(suite, "testcase", classname=file,
                                 name=name if named[name] == 1 else f"{name} #{named[name]}")
            line = f"{f.span.file if f.span else file}:{where}: {f.code} {severity_word(f.severity.value, lang)} {said(f, lang)}"
            if f.severity.rank >= level:
                failure = ET.SubElement(case, "failure", message=said(f, lang), type=f.code)
                failure.text = line
            else:
                ET.SubElement(case, "system-out").text = line
    suites.set("tests", str(tests_total))
    suites.set("failures", str(failures_total))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
