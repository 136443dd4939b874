"""Name resolution: find a fact, indicator or section by its unique name or by its path."""

from __future__ import annotations

from perfrules.findings import Finding, Span
from perfrules.plan.model import Fact, Indicator, Plan, Section, split_key


class Index:
    """The names a ruleset defines, to look up the names its formulas and checks use."""

    def __init__(self, facts: dict[str, Fact] | None = None, indicators: dict[str, Indicator] | None = None,
                 sections: dict[str, Section] | None = None) -> None:
        self.facts: dict[str, Fact] = facts if facts is not None else {}
        self.indicators: dict[str, Indicator] = indicators if indicators is not None else {}  # by key
        self.sections: dict[str, Section] = sections if sections is not None else {}  # by key
        self._names: dict[str, list[tuple[str, str]]] | None = None  # last name -> (kind, key), built on first use
        self._found: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]] | None = None  # see remember()

    @classmethod
    def of_plan(cls, plan: Plan) -> Index:
        return cls(
            facts={f.name: f for f in plan.facts},
            indicators=dict(plan.indicator_by_key),
            sections=dict(plan.section_by_key),
        )

    def lookup(self, name: str, span: Span | None, *, kinds: tuple[str, ...] = ("fact", "indicator"),
               findings: list[Finding]) -> tuple[str, str] | None:
        """(kind, key) for `name`, or None with a PR011/PR012 finding."""
        candidates = self.candidates(name, kinds)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            import difflib  # only for a name not found: not imported at start-up

            suggestions = difflib.get_close_matches(name, self.all_names(kinds), n=3, cutoff=0.5)
            findings.append(Finding.make("PR011", span, name=name,
                                         hint="did_you_mean" if suggestions else "",
                                         options="、".join(suggestions)))
            return None
        options = "、".join(key if kind != "fact" else name for kind, key in candidates)
        findings.append(Finding.make("PR012", span, name=name, options=options, hint="use_path"))
        return None

    def remember(self, lookups: dict[tuple[str, tuple[str, ...]], list[tuple[str, str]]]) -> None:
        """Keep the answers of `candidates` in `lookups` (and take those it holds): for a compile that adds no
        more names, whose facts, indicators and sections have the same keys as when `lookups` was filled."""
        self._found = lookups

    def candidates(self, name: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        if self._found is None:
            return self._candidates(name, kinds)
        found = self._found.get((name, kinds))
        if found is None:
            found = self._found[(name, kinds)] = self._candidates(name, kinds)
        return list(found)

    def _candidates(self, name: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if "fact" in kinds and name in self.facts:
            found.append(("fact", name))
        exact = [(kind, key) for kind, key in self._by_last_name().get(name, ()) if kind in kinds]
        if exact:  # a name that contains "/" itself: "人均费用(元/人)"
            return found + exact
        wanted = split_key(name)
        for kind, key in self._by_last_name().get(wanted[-1], ()):
            if kind in kinds and split_key(key)[-len(wanted):] == wanted:
                found.append((kind, key))
        return found

    def _by_last_name(self) -> dict[str, list[tuple[str, str]]]:
        if self._names is None:
            self._names = {}
            for kind, table in (("indicator", self.indicators), ("section", self.sections)):
                for key, node in table.items():
                    self._names.setdefault(node.name, []).append((kind, key))
        return self._names

    def all_names(self, kinds: tuple[str, ...]) -> list[str]:
        names = list(self.facts) if "fact" in kinds else []
        if "indicator" in kinds:
            names += [i.name for i in self.indicators.values()]
        if "section" in kinds:
            names += [s.name for s in self.sections.values()]
        return names
