"""Generate a synthetic but realistic perfrules ruleset with N indicators (for benchmarks).

生成一份合成的、结构接近真实评价报告的规则文件：`ruleset`、`grades`、`facts`，
一级指标（维度）→ 二级指标 → 子项目（→ 片区）→ 三级指标，以及 `actuals` 实际值。

The weights are exact in Decimal: the four dimensions weigh 20/20/40/20, every section's
declared weight is the exact sum of its children (integer units of 10^-p, distributed with
largest remainders), so `perfrules check` reports no findings.

    python bench/generate.py                      # 10000 indicators to stdout
    python bench/generate.py -n 2000 -o /tmp/x.perf --seed 7

    from generate import generate
    text = generate(10000, seed=0)
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

# --------------------------------------------------------------------------- templates
#
# An indicator template is (kind, stem, unit, target) where kind is one of
#   ge      count / amount, `>= target unit`            (人, 场, 户, 人次, 万元)
#   le      cost, reverse, `<= target unit`             (元/人, 元/户, 元/人/年, 万元)
#   pct     percentage, `>= target%`
#   pct_le  percentage, reverse, `<= target%`
#   range   `in low% ~ high%`
#   steps   percentage scored by steps
#   deduct  percentage with `deduct x per 1%`
#   qual    qualitative (target text optional)
#   derived formula over facts (see FORMULAS)

DIMENSIONS: list[tuple[str, int, list[tuple[str, int, list[tuple]]]]] = [
    ("决策", 20, [
        ("项目立项", 3, [
            ("qual", "立项依据充分性", None, None), ("qual", "立项程序规范性", None, None),
            ("qual", "事前绩效评估开展情况", None, None),
        ]),
        ("绩效目标", 4, [
            ("qual", "绩效目标合理性", None, None), ("qual", "绩效指标明确性", None, None),
            ("qual", "目标与预算匹配性", None, None),
        ]),
        ("资金投入", 3, [
            ("qual", "预算编制科学性", None, None), ("qual", "资金分配合理性", None, None),
            ("pct_le", "预算调整率", "%", "10"),
        ]),
    ]),
    ("过程", 20, [
        ("资金管理", 6, [
            ("derived", "资金到位率", None, "100"), ("derived", "预算执行率", None, "100"),
            ("qual", "资金使用合规性", None, None),
        ]),
        ("组织实施", 4, [
            ("qual", "管理制度健全性", None, None), ("qual", "制度执行有效性", None, None),
            ("pct", "档案资料完整率", "%", "100"),
        ]),
    ]),
    ("产出", 40, [
        ("产出数量", 4, [
            ("ge", "开展慰问活动", "场", "2"), ("ge", "社会化管理人数", "人", "80000"),
            ("ge", "资格认证人数", "人", "60000"), ("ge", "组织文体活动场次", "场", "4"),
            ("ge", "入户走访户数", "户", "1200"), ("ge", "业务培训人次", "人次", "300"),
            ("ge", "发放补助资金", "万元", "662.77"),
        ]),
        ("产出质量", 2, [
            ("pct", "活动次数达标率", "%", "100"), ("pct", "资格认证准确率", "%", "99"),
            ("range", "体检覆盖率", "%", ("95", "100")), ("pct", "补助发放准确率", "%", "100"),
        ]),
        ("产出时效", 2, [
            ("pct", "活动按期完成率", "%", "100"), ("deduct", "资金拨付及时率", "%", "100"),
        ]),
        ("产出成本", 2, [
            ("le", "活动每人标准", "元/人/年", "260"), ("le", "人均慰问标准", "元/人", "500"),
            ("le", "户均审核管理费用", "元/户", "5300"), ("le", "项目管理费", "万元", "12.5"),
        ]),
    ]),
    ("效益", 20, [
        ("社会效益", 3, [
            ("qual", "退休人员幸福感", None, "幸福感测评达标"), ("pct", "政策知晓率", "%", "90"),
        ]),
        ("可持续影响", 2, [
            ("qual", "长效管理机制", None, "长效运行"), ("qual", "服务网络覆盖", None, None),
        ]),
        ("满意度", 3, [
            ("steps", "服务对象满意度", "%", "95"), ("pct_le", "投诉率", "%", "2"),
        ]),
    ]),
]

# derived stem -> (numerator fact stem, denominator fact stem)
FORMULAS = {"资金到位率": ("到位资金", "全年预算数"), "预算执行率": ("执行数", "到位资金")}

REASONS = [
    "年初目标设置不够精确导致出现偏差，在下一年度将更加严谨的去设置项目目标",
    "受气候影响部分活动延期举办",
    "服务对象人数较上年有所增加",
    "政府采购流程较长，资金拨付进度滞后",
]

SUBGROUP_SIZE = (6, 14)  # indicators per 子项目 (inclusive)


# --------------------------------------------------------------------------- weights


def _places(n: int) -> int:
    """Decimal places for weights so that the average indicator gets >= ~50 units."""
    places = 2
    while 100 * 10**places < 50 * n:
        places += 1
    return places


def _allocate(total: int, leaves: list[int], rng: random.Random) -> list[int]:
    """Split `total` integer units over children holding `leaves` indicators each, exactly.

    Every child gets at least one unit per indicator; the rest is shared in proportion to the
    leaf count times a random factor, rounded with largest remainders so the sum is exact.
    """
    minimum = sum(leaves)
    if total < minimum:
        raise ValueError(f"{total} units cannot cover {minimum} indicators")
    extra = total - minimum
    shares = [n * rng.uniform(0.6, 1.4) for n in leaves]
    whole = sum(shares)
    exact = [extra * s / whole for s in shares]
    out = [n + int(e) for n, e in zip(leaves, exact, strict=True)]
    left = total - sum(out)
    by_remainder = sorted(range(len(leaves)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in by_remainder[:left]:
        out[i] += 1
    assert sum(out) == total
    return out


def _split_count(n: int, weights: list[int]) -> list[int]:
    """Split n indicators in proportion to weights (largest remainders), each part >= 1 when possible."""
    whole = sum(weights)
    exact = [n * w / whole for w in weights]
    out = [int(e) for e in exact]
    for i in sorted(range(len(weights)), key=lambda i: exact[i] - out[i], reverse=True)[: n - sum(out)]:
        out[i] += 1
    return out


# --------------------------------------------------------------------------- the tree


class _Node:
    __slots__ = ("children", "kind", "name", "template", "units")

    def __init__(self, kind: str, name: str, template: tuple | None = None) -> None:
        self.kind = kind  # dimension, group, indicator
        self.name = name
        self.template = template
        self.children: list[_Node] = []
        self.units = 0

    def leaves(self) -> int:
        return 1 if self.kind == "indicator" else sum(c.leaves() for c in self.children)


class _Generator:
    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.places = _places(n)
        self.scale = 10**self.places
        self.sub_counter = 0
        self.facts: list[str] = []
        self.fact_actuals: list[str] = []
        self.checks: list[str] = []
        self.budgets: set[tuple[str, str]] = set()
        self.actuals: list[str] = []

    # ---- structure

    def tree(self) -> list[_Node]:
        counts = _split_count(self.n, [w for _, w, _ in DIMENSIONS])
        dims = []
        for (name, weight, groups), count in zip(DIMENSIONS, counts, strict=True):
            dim = _Node("dimension", name)
            dim.units = weight * self.scale
            group_counts = _split_count(count, [share for _, share, _ in groups])
            for (gname, _share, templates), gcount in zip(groups, group_counts, strict=True):
                if gcount == 0:
                    continue
                group = _Node("group", gname)
                group.children = self._subgroups(gcount, templates)
                dim.children.append(group)
            dims.append(dim)
        for dim in dims:
            self._weigh(dim)
        return dims

    def _subgroups(self, count: int, templates: list[tuple]) -> list[_Node]:
        """子项目 groups of 6–14 indicators; about one in five splits again into two 片区."""
        out: list[_Node] = []
        while count > 0:
            size = min(count, self.rng.randint(*SUBGROUP_SIZE))
            if count - size < SUBGROUP_SIZE[0]:
                size = count
            count -= size
            self.sub_counter += 1
            sub = _Node("group", f"第{self.sub_counter}子项目")
            if size >= 8 and self.rng.random() < 0.2:
                half = size // 2
                for part, part_size in (("东片区", half), ("西片区", size - half)):
                    area = _Node("group", part)
                    area.children = self._indicators(f"{sub.name}{part}", part_size, templates)
                    sub.children.append(area)
            else:
                sub.children = self._indicators(sub.name, size, templates)
            out.append(sub)
        return out

    def _indicators(self, prefix: str, size: int, templates: list[tuple]) -> list[_Node]:
        out = []
        start = self.rng.randrange(len(templates))
        for i in range(size):
            template = templates[(start + i) % len(templates)]
            round_ = i // len(templates)
            stem = template[1]
            # a later round of the same stem in one 子项目 is another phase: 第2期投诉率
            name = f"{prefix}{stem}" if round_ == 0 else f"{prefix}第{round_ + 1}期{stem}"
            out.append(_Node("indicator", name, template))
        return out

    def _weigh(self, node: _Node) -> None:
        if node.kind == "indicator":
            return
        parts = _allocate(node.units, [c.leaves() for c in node.children], self.rng)
        for child, units in zip(node.children, parts, strict=True):
            child.units = units
            self._weigh(child)

    # ---- text

    def weight(self, units: int) -> str:
        return f"{Decimal(units).scaleb(-self.places).normalize():f}"

    def render(self) -> str:
        dims = self.tree()
        body: list[str] = []
        for dim in dims:
            body.append("")
            self._section(dim, 0, body)
        places = self.places
        head = [
            f"# 合成基准规则集：{self.n} 个三级指标（bench/generate.py 生成，勿手工编辑）",
            "# Synthetic benchmark ruleset generated by bench/generate.py.",
            "",
            f'ruleset "退休人员社会化管理补助资金（合成基准 {self.n}）" {{',
            "  year 2023",
            "  kind 评价",
            f"  rounding {places} half-up",
            "}",
            "",
            "grades { 优 >= 90  良 >= 80  中 >= 60  差 otherwise }",
            "",
            *(["policy {", f"  max_indicators {self.n}   # 合成基准有意超出 60 个三级指标（PR105）", "}", ""]
              if self.n > 60 else []),
            "facts {",
            *self.facts,
            "}",
        ]
        tail = ["", *self.checks, "", "actuals {", *self.fact_actuals, "", *self.actuals, "}", ""]
        return "\n".join(head + body + tail)

    def _section(self, node: _Node, depth: int, out: list[str]) -> None:
        pad = "  " * depth
        keyword = "dimension" if node.kind == "dimension" else "group"
        out.append(f"{pad}{keyword} {node.name} weight {self.weight(node.units)} {{")
        for child in node.children:
            if child.kind == "indicator":
                out.append(pad + "  " + self._indicator(child))
            else:
                self._section(child, depth + 1, out)
        out.append(f"{pad}}}")

    def _indicator(self, node: _Node) -> str:
        kind, stem, unit, target = node.template  # type: ignore[misc]
        rng = self.rng
        w = self.weight(node.units)
        name = node.name
        if kind == "qual":
            text = f' "{target}"' if target else ""
            tier = rng.random()
            if tier < 0.8:
                self._actual(name, "达成 100%")
            elif tier < 0.95:
                self._actual(name, f"部分达成 {rng.choice(['60', '65', '70', '75'])}%", reason=True)
            else:
                self._actual(name, f"未达成 {rng.choice(['30', '40', '50'])}%", reason=True)
            return f"{name} qualitative{text} weight {w}"
        if kind == "derived":
            num_stem, den_stem = FORMULAS[stem]
            at = name.index(stem)
            prefix, suffix = name[:at], name[at + len(stem):]
            self._budget(prefix, suffix)
            num, den = f"{prefix}{num_stem}{suffix}", f"{prefix}{den_stem}{suffix}"
            return f"{name} = {num} / {den} >= {target}% weight {w}"
        if kind in ("ge", "le"):
            t = Decimal(target) * Decimal(rng.choice(["0.5", "1", "1", "2", "3"]))
            t = t.quantize(Decimal("0.01")) if "." in target else t.quantize(Decimal(1))
            # completion stays below 120% (no over-completion notes); a miss always carries a reason
            factor = Decimal(rng.uniform(0.9, 1.18)) if kind == "ge" else Decimal(rng.uniform(0.87, 1.12))
            value = (t * factor).quantize(Decimal("0.01") if "." in target else Decimal(1))
            below = value < t if kind == "ge" else value > t
            self._actual(name, f"{value} {unit}", reason=below)
            cap = " cap 100%" if kind == "ge" and rng.random() < 0.3 else ""
            cmp = ">=" if kind == "ge" else "<="
            return f"{name} {cmp} {t} {unit} weight {w}{cap}"
        if kind == "range":
            low, high = target
            value = rng.choice(["94.5", "96", "98.2", "100"])
            self._actual(name, f"{value}%", reason=Decimal(value) < Decimal(low))
            return f"{name} in {low}% ~ {high}% weight {w}"
        rate = Decimal(rng.uniform(0.9, 1.0) * 100).quantize(Decimal("0.1"))
        if kind == "pct":
            self._actual(name, f"{rate}%", reason=rate < Decimal(target))
            return f"{name} >= {target}% weight {w}"
        if kind == "pct_le":
            value = Decimal(rng.uniform(0.85, 1.15) * float(target)).quantize(Decimal("0.01"))
            self._actual(name, f"{value}%", reason=value > Decimal(target))
            return f"{name} <= {target}% weight {w}"
        if kind == "steps":
            self._actual(name, f"{rate}%", reason=rate < Decimal(target))
            return f"{name} >= {target}% weight {w} steps 100%:100% 95%:90% 90%:80% otherwise 60%"
        if kind == "deduct":
            points = self.weight(max(node.units // 10, 1))
            self._actual(name, f"{rate}%", reason=rate < Decimal(target))
            return f"{name} >= {target}% weight {w} deduct {points} per 1%"
        raise ValueError(kind)

    def _budget(self, prefix: str, suffix: str) -> None:
        """The budget facts of one 子项目 (once): 全年预算数 and 到位资金 given, 执行数 as an actual."""
        if (prefix, suffix) in self.budgets:
            return
        self.budgets.add((prefix, suffix))
        rng = self.rng
        budget = Decimal(rng.randint(5000, 500000)) / 100  # 万元
        # derived indicators have no actual line to carry a deviation reason: keep them on target
        arrived = budget
        spent = arrived
        self.facts.append(f"  {prefix}全年预算数{suffix} = {budget} 万元")
        self.facts.append(f"  {prefix}到位资金{suffix} = {arrived} 万元")
        self.facts.append(f"  {prefix}执行数{suffix} 万元")  # declared here, its value is an actual
        self.fact_actuals.append(f"  {prefix}执行数{suffix} = {spent} 万元")
        self.checks.append(f"check {prefix}执行不超预算{suffix}: {prefix}执行数{suffix} <= {prefix}全年预算数{suffix}"
                           " severity warning")

    def _actual(self, name: str, value: str, reason: bool = False) -> None:
        self.actuals.append(f"  {name} = {value}")
        if reason:
            self.actuals.append(f'    reason "{self.rng.choice(REASONS)}"')


def generate(n: int = 10000, seed: int = 0) -> str:
    """The text of a ruleset with exactly `n` indicators (n >= 4); deterministic for a seed."""
    if n < 4:
        raise ValueError("need at least 4 indicators (one per dimension)")
    return _Generator(n, seed).render()


def write(path: str | Path, n: int = 10000, seed: int = 0) -> Path:
    path = Path(path)
    path.write_text(generate(n, seed), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成合成基准规则集 / generate a synthetic benchmark ruleset")
    parser.add_argument("-n", "--indicators", type=int, default=10000, help="三级指标个数 (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="随机种子 (default 0)")
    parser.add_argument("-o", "--output", type=Path, help="输出文件，缺省写到标准输出 / output file (default stdout)")
    args = parser.parse_args(argv)
    text = generate(args.indicators, args.seed)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({args.indicators} indicators, {text.count(chr(10))} lines)", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
