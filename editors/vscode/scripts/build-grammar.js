#!/usr/bin/env node
// Builds syntaxes/perfrules.tmLanguage.json.
//
// The keyword spellings (English and Chinese) are the language's vocabulary, the source of truth:
// perfrules/vocabulary.py (the lark grammar's keyword terminals are filled from it too), read as
// the JSON `python3 perfrules/vocabulary.py --json` prints. This file decides only which scope each
// keyword gets and in which block it is a keyword (the keywords that begin an `expect` item or an actual's clause
// come from the vocabulary too: its `items`).
//
//   node scripts/build-grammar.js                  write the JSON
//   node scripts/build-grammar.js --check          exit 1 if the JSON is not what this script writes
//   node scripts/build-grammar.js --vocabulary F   read the vocabulary from a JSON file F instead
//                                                  (the Python interpreter is $PYTHON, else python3)
//
// Regexes are Oniguruma (what VS Code runs). Notes on the character classes:
//   LETTER mirrors Python's [^\W\d] (lark's "not followed by a letter"): Unicode letters,
//          letter-like and other numbers (Ⅻ ① ²) and `_`, but not decimal digits. Oniguruma's
//          own \w differs from Python's (it has combining marks and connector punctuation but
//          no ① ²), so it is not used for that.
//   \d     is Unicode Nd in Oniguruma, so full-width digits ０-９ are digits here too (the
//          perfrules reader maps them to ASCII before parsing).
"use strict";

const fs = require("fs");
const path = require("path");

const HERE = path.resolve(__dirname, "..");
const VOCABULARY = path.resolve(HERE, "..", "..", "perfrules", "vocabulary.py");
const OUT = path.join(HERE, "syntaxes", "perfrules.tmLanguage.json");

// ------------------------------------------------------------------ keywords from the vocabulary

// The vocabulary's JSON: {"keywords": {"WEIGHT": ["weight", "权重", "分值"], ...}, "comparators": {...},
// "items": {"expect_item": ["TOTAL", "REVIEW", "GRADE"], ...}}.
function printedVocabulary() {
  const { execFileSync } = require("child_process");
  const python = process.env.PYTHON || "python3";
  return execFileSync(python, [VOCABULARY, "--json"], { encoding: "utf8" });
}

// Which keyword terminals begin an item of a block, by the lark rule (`expect_item`, `actual_clause`): the
// vocabulary's `items`, so a keyword the language adds to a block is highlighted there without an edit here.
function readItems(vocabularyJson) {
  const items = {};
  for (const [rule, terminals] of Object.entries(JSON.parse(vocabularyJson).items || {})) {
    items[rule] = [...terminals];
  }
  return items;
}

function readKeywords(vocabularyJson) {
  const keywords = {};
  for (const [terminal, spellings] of Object.entries(JSON.parse(vocabularyJson).keywords)) {
    keywords[terminal] = [...spellings];
  }
  return keywords;
}

// Which scope each keyword terminal gets. A terminal missing here (a new keyword in the
// vocabulary) is an error, so the highlighting cannot silently fall behind the language.
const KEYWORD_SCOPES = {
  RULESET: "keyword.control.block.perfrules",
  GRADES: "keyword.control.block.perfrules",
  FACTS: "keyword.control.block.perfrules",
  ACTUALS: "keyword.control.block.perfrules",
  EXPECT: "keyword.control.block.perfrules",
  POLICY: "keyword.control.block.perfrules",
  DIMENSION: "keyword.control.block.perfrules",
  GROUP: "keyword.control.block.perfrules",
  HISTORY: "keyword.control.block.perfrules",
  USE: "keyword.control.import.perfrules",
  CHECK: "keyword.control.check.perfrules",
  WEIGHT: "keyword.other.clause.perfrules",
  CAP: "keyword.other.clause.perfrules",
  METHOD: "keyword.other.clause.perfrules",
  STEPS: "keyword.other.clause.perfrules",
  DEDUCT: "keyword.other.clause.perfrules",
  PER: "keyword.other.clause.perfrules",
  TIERS: "keyword.other.clause.perfrules",
  SIGNED: "keyword.other.clause.perfrules",
  INFERRED: "keyword.other.clause.perfrules",
  ELEMENTS: "keyword.other.clause.perfrules",
  LEVELS: "keyword.other.clause.perfrules",
  SCALE: "keyword.other.clause.perfrules",
  OTHERWISE: "keyword.other.clause.perfrules",
  IN: "keyword.other.clause.perfrules",
  QUALITATIVE: "keyword.other.clause.perfrules",
  SEVERITY: "keyword.other.option.perfrules",
  TOLERANCE: "keyword.other.option.perfrules",
  YEAR: "keyword.other.meta.perfrules",
  KIND: "keyword.other.meta.perfrules",
  ROUNDING: "keyword.other.meta.perfrules",
  TOTAL: "keyword.other.meta.perfrules",
  REASON: "keyword.other.actual.perfrules",
  SCORE: "keyword.other.actual.perfrules",
  REVIEW: "keyword.other.actual.perfrules",
  RATE: "keyword.other.actual.perfrules",
  ACTUAL: "keyword.other.actual.perfrules",
  BUDGET: "keyword.other.actual.perfrules",
  HAS: "keyword.other.actual.perfrules",
  GRADE: "keyword.other.expect.perfrules",
  NA: "constant.language.na.perfrules",
  TIER: "constant.language.tier.perfrules",
  ROUND_MODE: "constant.language.rounding-mode.perfrules",
};

// ------------------------------------------------------------------ regex fragments

const LETTER = String.raw`[\p{L}\p{Nl}\p{No}_]`; // Python's [^\W\d]
const WORD = String.raw`[\p{L}\p{N}_]`; // Python's \w
const KB = `(?!${LETTER})`; // keyword boundary: not followed by a letter
const BRACKET = String.raw`（[\p{L}\p{N}_%‰/.、·]*）`; // 资金到位率（%）
// lark NAME: letters, `_`, bracketed parts, digits after an ASCII letter/digit or before a letter.
const NAME = `(?:${LETTER}|${BRACKET})(?:${LETTER}|${BRACKET}|(?<=[A-Za-z0-9_０-９])\\d|\\d(?=${WORD}*${LETTER}))*`;
const STRING = String.raw`"(?:[^"\\]|\\.)*"|“[^”]*”`;
// A number, with thousands separators in groups of three as tables print them (8,755; 8，755): grammar/perfrules.lark's NUMBER.
const NUMBER = String.raw`(?:\d{1,3}(?:[,，]\d{3})+(?!\d|[,，]\d)|\d+)(?:[.．]\d+)?`;
const UNIT = `${NAME}(?:[/／]${NAME})*`;
const PATH = `${NAME}(?:/${NAME})*`;
// Full-width forms are mapped one character at a time by the reader, so ＞＝ and >＝ both count.
const CMP = "[>＞][=＝]|[<＜][=＝]|[=＝][=＝]|[≥≧≤≦]|[=＝]|[>＞]|[<＜]";
const CODES = String.raw`PR\d{0,3}(?:\s*,\s*PR\d{0,3})*`;
const OPEN = "[{｛]";
const CLOSE = "[}｝]";

function build(keywords, items) {
  const missing = Object.keys(KEYWORD_SCOPES).filter((t) => !(t in keywords));
  const unknown = Object.keys(keywords).filter((t) => !(t in KEYWORD_SCOPES));
  if (missing.length || unknown.length) {
    throw new Error(
      `keyword terminals out of sync with perfrules/vocabulary.py: ` +
        (unknown.length ? `no scope for ${unknown.join(", ")} (add it to KEYWORD_SCOPES); ` : "") +
        (missing.length ? `not in the vocabulary: ${missing.join(", ")}` : ""),
    );
  }
  const itemsOf = (rule) => {
    const terminals = (items || {})[rule];
    if (!terminals || !terminals.length) throw new Error(`the vocabulary gives no keywords for ${rule} (ITEM_KEYWORDS)`);
    const strange = terminals.filter((t) => !(t in keywords));
    if (strange.length) throw new Error(`${rule}: not keyword terminals of the vocabulary: ${strange.join(", ")}`);
    return terminals;
  };
  const EXPECT_ITEM = itemsOf("expect_item");
  const ACTUAL_CLAUSE = itemsOf("actual_clause");
  const esc = (s) => s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  // Longest spelling first (the boundary makes the order irrelevant, but it reads better).
  const spell = (...terminals) =>
    terminals
      .flatMap((t) => keywords[t])
      .sort((a, b) => b.length - a.length || a.localeCompare(b))
      .map(esc)
      .join("|");
  const kw = (...terminals) => `(?:${spell(...terminals)})${KB}`;
  const kwRule = (...terminals) => {
    const scopes = new Set(terminals.map((t) => KEYWORD_SCOPES[t]));
    if (scopes.size !== 1) throw new Error(`mixed scopes for ${terminals}`);
    return { match: kw(...terminals), name: [...scopes][0] };
  };
  const scopeOf = (t) => ({ name: KEYWORD_SCOPES[t] });
  const quotedName = (scope) => ({ name: scope, patterns: [{ include: "#strings" }] });

  // Words that may follow a quantity as a keyword, so they are never read as its unit.
  const AFTER_QUANTITY = {
    statement: kw("WEIGHT", "CAP", "METHOD", "STEPS", "DEDUCT", "PER", "NA", "TIERS", "SIGNED", "ELEMENTS", "LEVELS", "OTHERWISE", "SEVERITY",
      "TOLERANCE", "ROUNDING", "INFERRED", "SCALE"),
    ruleset: kw("YEAR", "KIND", "ROUNDING", "TOTAL", "TIERS", "ROUND_MODE"),
    actuals: kw(...ACTUAL_CLAUSE, "ACTUAL"),
    history: kw("ACTUAL"),
  };
  const quantity = (notUnit) => ({
    match: `(${NUMBER})(?:\\s*([%％])|\\s*(‰)|\\s*${notUnit ? `(?!${notUnit})` : ""}(${UNIT}))?`,
    captures: {
      1: { name: "constant.numeric.perfrules" },
      2: { name: "keyword.other.unit.percentage.perfrules" },
      3: { name: "keyword.other.unit.permille.perfrules" },
      4: { name: "keyword.other.unit.perfrules" },
    },
  });
  // `keyword value`: the word after `method`, `severity`, `kind`, `grade` is a value, whatever it spells.
  const valueAfter = (terminal, valueScope) => ({
    match: `(${kw(terminal)})(?:\\s*(${NAME}))?`,
    captures: { 1: scopeOf(terminal), 2: { name: valueScope } },
  });
  const block = (terminal, kind, patterns) => ({
    name: `meta.block.${kind}.perfrules`,
    begin: `^\\s*(${kw(terminal)})\\s*(${OPEN})`,
    beginCaptures: { 1: scopeOf(terminal), 2: { name: "punctuation.section.block.begin.perfrules" } },
    end: CLOSE,
    endCaptures: { 0: { name: "punctuation.section.block.end.perfrules" } },
    patterns,
  });

  const grammar = {
    information_for_contributors: [
      "Generated by scripts/build-grammar.js from the keywords of perfrules/vocabulary.py; do not edit by hand.",
      "Run `npm run build:grammar` after changing either file.",
    ],
    $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
    name: "perfrules",
    scopeName: "source.perfrules",
    fileTypes: ["perf"],
    patterns: [{ include: "#statements" }],
    repository: {
      // ------------------------------------------------------------ top level, dimension, group
      statements: {
        patterns: [
          { include: "#comment" },
          { include: "#ruleset-block" },
          { include: "#grades-block" },
          { include: "#facts-block" },
          { include: "#actuals-block" },
          { include: "#expect-block" },
          { include: "#policy-block" },
          { include: "#history-block" },
          { include: "#section-header" },
          { include: "#block-keyword" },
          { include: "#use" },
          { include: "#check" },
          { include: "#indicator-name" },
          { include: "#statement-inline" },
        ],
      },
      "section-header": {
        comment: "dimension/group NAME: the word after the keyword is a name even if it spells a keyword",
        match: `^\\s*(${kw("DIMENSION", "GROUP")})(?:\\s*(?:(${NAME})|(${STRING})))?`,
        captures: {
          1: scopeOf("DIMENSION"),
          2: { name: "entity.name.section.perfrules" },
          3: quotedName("entity.name.section.perfrules"),
        },
      },
      "block-keyword": {
        comment: "a block keyword whose line lacks the `{` (a syntax error, still shown as a keyword)",
        match: `^\\s*(${kw("RULESET", "GRADES", "FACTS", "ACTUALS", "EXPECT", "POLICY", "HISTORY")})`,
        captures: { 1: scopeOf("RULESET") },
      },
      use: {
        match: `^\\s*(${kw("USE")})(?:\\s*(?:(${PATH})|(${STRING})))?`,
        captures: {
          1: scopeOf("USE"),
          2: { name: "string.unquoted.path.perfrules" },
          3: { patterns: [{ include: "#strings" }] },
        },
      },
      check: {
        comment: "check [label] : left cmp right [severity S] [tolerance T]",
        match: `^\\s*(${kw("CHECK")})(?:\\s*(?:(${NAME})|(${STRING})))?(?:\\s*([:：]))?`,
        captures: {
          1: scopeOf("CHECK"),
          2: { name: "entity.name.check.perfrules" },
          3: quotedName("entity.name.check.perfrules"),
          4: { name: "punctuation.separator.colon.perfrules" },
        },
      },
      "indicator-name": {
        comment:
          "An indicator's name at the start of a line. Only block keywords, use and check are keywords there; `总分 >= 90` is an indicator.",
        match: `^\\s*(?:(?!${kw("RULESET", "GRADES", "FACTS", "ACTUALS", "EXPECT", "POLICY", "HISTORY", "DIMENSION", "GROUP", "USE", "CHECK")})(${NAME})|(${STRING}))`,
        captures: {
          1: { name: "entity.name.indicator.perfrules" },
          2: quotedName("entity.name.indicator.perfrules"),
        },
      },
      "statement-inline": {
        patterns: [
          { include: "#comment" },
          { include: "#strings" },
          valueAfter("METHOD", "constant.other.method.perfrules"),
          valueAfter("SEVERITY", "constant.other.severity.perfrules"),
          {
            comment: "rounding N [mode] on a dimension, group or indicator",
            match: `(${kw("ROUNDING")})(?:\\s*(${NUMBER}))?(?:\\s*(${kw("ROUND_MODE")}))?`,
            captures: {
              1: scopeOf("ROUNDING"),
              2: { name: "constant.numeric.perfrules" },
              3: scopeOf("ROUND_MODE"),
            },
          },
          {
            comment: "steps actual 90%:100% ...: the thresholds are the actual's own bounds",
            match: `(${kw("STEPS")})\\s*(${kw("ACTUAL")})`,
            captures: { 1: scopeOf("STEPS"), 2: scopeOf("ACTUAL") },
          },
          kwRule("WEIGHT", "CAP", "METHOD", "STEPS", "DEDUCT", "PER", "TIERS", "ELEMENTS", "LEVELS", "OTHERWISE", "IN", "QUALITATIVE",
            "INFERRED", "SCALE"),
          kwRule("SEVERITY", "TOLERANCE"),
          kwRule("NA"),
          { include: "#comparators" },
          quantity(AFTER_QUANTITY.statement),
          { include: "#punctuation" },
          { include: "#name" },
        ],
      },

      // ------------------------------------------------------------ ruleset
      "ruleset-block": {
        name: "meta.block.ruleset.perfrules",
        begin: `^\\s*(${kw("RULESET")})(?:\\s*(?:(${NAME})|(${STRING})))?\\s*(${OPEN})`,
        beginCaptures: {
          1: scopeOf("RULESET"),
          2: { name: "entity.name.ruleset.perfrules" },
          3: quotedName("entity.name.ruleset.perfrules"),
          4: { name: "punctuation.section.block.begin.perfrules" },
        },
        end: CLOSE,
        endCaptures: { 0: { name: "punctuation.section.block.end.perfrules" } },
        patterns: [
          { include: "#comment" },
          { include: "#strings" },
          valueAfter("KIND", "constant.other.kind.perfrules"),
          {
            match: `(${kw("ROUNDING")})(?:\\s*(${NUMBER}))?(?:\\s*(${kw("ROUND_MODE")}))?`,
            captures: {
              1: scopeOf("ROUNDING"),
              2: { name: "constant.numeric.perfrules" },
              3: scopeOf("ROUND_MODE"),
            },
          },
          kwRule("YEAR", "KIND", "ROUNDING", "TOTAL"),
          kwRule("TIERS"),
          kwRule("ROUND_MODE"),
          quantity(AFTER_QUANTITY.ruleset),
          { include: "#punctuation" },
          { include: "#name" },
        ],
      },

      // ------------------------------------------------------------ grades
      "grades-block": block("GRADES", "grades", [
        { include: "#comment" },
        { include: "#strings" },
        kwRule("OTHERWISE"),
        { include: "#comparators" },
        { include: "#number" },
        { include: "#punctuation" },
        { match: NAME, name: "entity.name.grade.perfrules" },
      ]),

      // ------------------------------------------------------------ facts
      "facts-block": block("FACTS", "facts", [
        { include: "#comment" },
        {
          comment: "a declaration: NAME UNIT",
          match: `^\\s*(?:(${NAME})\\s+|(${STRING})\\s*)(${UNIT})(?=\\s*(?:[#＃]|$))`,
          captures: {
            1: { name: "entity.name.fact.perfrules" },
            2: quotedName("entity.name.fact.perfrules"),
            3: { name: "keyword.other.unit.perfrules" },
          },
        },
        {
          comment: "a fact's name at the start of a line; facts have no keywords",
          match: `^\\s*(?:(${NAME})|(${STRING}))`,
          captures: {
            1: { name: "entity.name.fact.perfrules" },
            2: quotedName("entity.name.fact.perfrules"),
          },
        },
        { include: "#strings" },
        { include: "#comparators" },
        quantity(null),
        { include: "#punctuation" },
        { include: "#name" },
      ]),

      // ------------------------------------------------------------ actuals
      "actuals-block": block("ACTUALS", "actuals", [
        { include: "#comment" },
        {
          comment: "the name an actual value is for; a line may also continue with reason/score/review/rate (`执行率 =` is a name)",
          match: `^\\s*(?:(?!${kw("REASON", "SCORE", "REVIEW")})(?!${kw("RATE")}\\s*+(?![=＝]))(${NAME})|(${STRING}))`,
          captures: {
            1: { name: "variable.other.name.perfrules" },
            2: quotedName("variable.other.name.perfrules"),
          },
        },
        { include: "#strings" },
        kwRule("TIER"),
        kwRule("NA"),
        kwRule(...ACTUAL_CLAUSE, "HAS"),
        { include: "#comparators" },
        quantity(AFTER_QUANTITY.actuals),
        { include: "#punctuation" },
        { include: "#name" },
      ]),

      // ------------------------------------------------------------ expect
      "expect-block": block("EXPECT", "expect", [
        { include: "#comment" },
        { include: "#strings" },
        valueAfter("GRADE", "constant.other.grade.perfrules"),
        // total, review, … (each in its own scope): the keywords that begin an expect item other than grade
        ...EXPECT_ITEM.filter((t) => t !== "GRADE").map((t) => kwRule(t)),
        { include: "#number" },
        { include: "#punctuation" },
        { include: "#name" },
      ]),

      // ------------------------------------------------------------ policy
      "policy-block": block("POLICY", "policy", [
        { include: "#comment" },
        {
          comment: "a setting: key value; keys PRxxx set a check's severity",
          match: `^\\s*(?:((?i:PR\\d+)(?!${WORD}))|(${NAME})|(${STRING}))`,
          captures: {
            1: { name: "constant.other.rule-code.perfrules" },
            2: { name: "variable.other.property.perfrules" },
            3: quotedName("variable.other.property.perfrules"),
          },
        },
        { include: "#strings" },
        quantity(null),
        { include: "#punctuation" },
        { match: NAME, name: "constant.other.value.perfrules" },
      ]),

      // ------------------------------------------------------------ history
      "history-block": block("HISTORY", "history", [
        { include: "#comment" },
        {
          comment: "an earlier year: YEAR (indicator path or \"name\" cmp target [actual quantity] | budget quantity)",
          match: `^\\s*(${NUMBER})(?:\\s*(?:(${kw("BUDGET")})|(${PATH})|(${STRING})))?`,
          captures: {
            1: { name: "constant.numeric.year.perfrules" },
            2: scopeOf("BUDGET"),
            3: { name: "variable.other.name.perfrules" },
            4: quotedName("variable.other.name.perfrules"),
          },
        },
        { include: "#strings" },
        kwRule("ACTUAL", "BUDGET"),
        { include: "#comparators" },
        quantity(AFTER_QUANTITY.history),
        { include: "#punctuation" },
        { include: "#name" },
      ]),

      // ------------------------------------------------------------ shared
      comment: {
        name: "comment.line.number-sign.perfrules",
        begin: "(#|＃)",
        beginCaptures: { 1: { name: "punctuation.definition.comment.perfrules" } },
        end: "$",
        patterns: [{ include: "#suppression" }],
      },
      suppression: {
        comment: "perfrules/checks/suppress.py: `# noqa[: PR201, PR3]` anywhere in a comment; `# perfrules: noqa[: …]` as the whole comment",
        patterns: [
          {
            name: "meta.suppression.file.perfrules",
            match: `(?i)(?<=#)\\G\\s*(perfrules)(:)\\s*(noqa)(?:(:)\\s*(${CODES}))?(?=\\s*$)`,
            captures: {
              1: { name: "keyword.other.directive.perfrules" },
              2: { name: "punctuation.separator.colon.perfrules" },
              3: { name: "keyword.other.noqa.perfrules" },
              4: { name: "punctuation.separator.colon.perfrules" },
              5: { patterns: [{ include: "#rule-codes" }] },
            },
          },
          {
            name: "meta.suppression.line.perfrules",
            match: `(?i)(?:(?<=#)\\G|(#))\\s*(noqa)(?:(:)\\s*(${CODES}))?`,
            captures: {
              2: { name: "keyword.other.noqa.perfrules" },
              3: { name: "punctuation.separator.colon.perfrules" },
              4: { patterns: [{ include: "#rule-codes" }] },
            },
          },
        ],
      },
      "rule-codes": {
        patterns: [
          { match: String.raw`(?i)PR\d{0,3}`, name: "constant.other.rule-code.perfrules" },
          { match: ",", name: "punctuation.separator.comma.perfrules" },
        ],
      },
      strings: {
        patterns: [
          {
            name: "string.quoted.double.perfrules",
            begin: '"',
            beginCaptures: { 0: { name: "punctuation.definition.string.begin.perfrules" } },
            end: '(")|$',
            endCaptures: { 1: { name: "punctuation.definition.string.end.perfrules" } },
            patterns: [{ match: String.raw`\\.`, name: "constant.character.escape.perfrules" }],
          },
          {
            name: "string.quoted.double.curly.perfrules",
            begin: "“",
            beginCaptures: { 0: { name: "punctuation.definition.string.begin.perfrules" } },
            end: "(”)|$",
            endCaptures: { 1: { name: "punctuation.definition.string.end.perfrules" } },
          },
        ],
      },
      number: {
        comment: "a bare number: scores in grades and expect take no unit",
        match: NUMBER,
        name: "constant.numeric.perfrules",
      },
      comparators: {
        match: CMP,
        name: "keyword.operator.comparison.perfrules",
      },
      punctuation: {
        patterns: [
          { match: OPEN, name: "punctuation.section.block.begin.perfrules" },
          { match: CLOSE, name: "punctuation.section.block.end.perfrules" },
          { match: "[(（]", name: "punctuation.section.parens.begin.perfrules" },
          { match: "[)）]", name: "punctuation.section.parens.end.perfrules" },
          { match: "[:：]", name: "punctuation.separator.colon.perfrules" },
          { match: "[~～〜]", name: "keyword.operator.range.perfrules" },
          { match: "[+＋*＊/／\\-－]", name: "keyword.operator.arithmetic.perfrules" },
          { match: String.raw`(?<=\d)[,，](?=\d)`, name: "invalid.illegal.thousands-separator.perfrules" },
        ],
      },
      name: {
        match: NAME,
        name: "variable.other.name.perfrules",
      },
    },
  };
  return JSON.stringify(grammar, null, 2) + "\n";
}

function main(argv) {
  const fileIndex = argv.indexOf("--vocabulary");
  const source = fileIndex >= 0 ? path.resolve(argv[fileIndex + 1]) : VOCABULARY;
  const vocabulary = fileIndex >= 0 ? fs.readFileSync(source, "utf8") : printedVocabulary();
  const text = build(readKeywords(vocabulary), readItems(vocabulary));
  if (argv.includes("--check")) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : "";
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), OUT)} is out of date with ${source}: run \`npm run build:grammar\``);
      return 1;
    }
    console.log(`${path.relative(process.cwd(), OUT)} is up to date with ${path.relative(process.cwd(), source)}`);
    return 0;
  }
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
  return 0;
}

module.exports = { build, readKeywords, readItems, printedVocabulary, VOCABULARY, OUT };

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
