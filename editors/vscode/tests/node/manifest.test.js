// package.json, language-configuration.json and the generated TextMate grammar.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const read = (file) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

test("package.json contributes the perfrules language, grammar, settings and command", () => {
  const pkg = read("package.json");
  assert.equal(pkg.main, "./extension.js");
  assert.ok(fs.existsSync(path.join(ROOT, pkg.main)));
  assert.equal(pkg.engines.vscode, "^1.82.0");
  assert.match(pkg.dependencies["vscode-languageclient"], /^\^9\./);
  const [language] = pkg.contributes.languages;
  assert.equal(language.id, "perfrules");
  assert.deepEqual(language.aliases, ["perfrules", "绩效规则"]);
  assert.deepEqual(language.extensions, [".perf"]);
  assert.ok(fs.existsSync(path.join(ROOT, language.configuration)));
  const [grammar] = pkg.contributes.grammars;
  assert.equal(grammar.language, "perfrules");
  assert.equal(grammar.scopeName, "source.perfrules");
  assert.equal(read(grammar.path).scopeName, "source.perfrules");
  const settings = pkg.contributes.configuration.properties;
  assert.equal(settings["perfrules.server.path"].default, "perfrules");
  assert.deepEqual(settings["perfrules.server.args"].default, ["lsp"]);
  assert.deepEqual(
    pkg.contributes.commands.map((c) => c.command),
    ["perfrules.restartServer"],
  );
});

test("language-configuration.json: comments, pairs, indentation, folding, word pattern", () => {
  const config = read("language-configuration.json");
  assert.equal(config.comments.lineComment, "#");
  const closes = Object.fromEntries(config.autoClosingPairs.map((p) => [p.open, p.close]));
  assert.deepEqual(closes, { "{": "}", "(": ")", "（": "）", '"': '"', "“": "”" });

  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  assert.ok(increase.test("dimension 产出 weight 60 {"));
  assert.ok(increase.test("一级指标 产出 ｛  # 注释"));
  assert.ok(increase.test('规则集 "名称 {#}" {'));
  assert.ok(!increase.test("grades { 优 >= 90  差 otherwise }"));
  assert.ok(!increase.test("满意度 >= 95% weight 10  # {"));
  assert.ok(!increase.test('"标段{" >= 1 weight 1'));
  assert.ok(decrease.test("  }"));
  assert.ok(decrease.test("｝"));
  assert.equal(config.folding.markers.start, config.indentationRules.increaseIndentPattern);

  const words = (text) => text.match(new RegExp(config.wordPattern, "g"));
  assert.deepEqual(words("资金到位率（%） = 到位资金 / 全年预算数 >= 100%"), ["资金到位率（%）", "到位资金", "全年预算数", "100"]);
  assert.deepEqual(words("Q1完成率 >= 25% weight 10"), ["Q1完成率", "25", "weight", "10"]);
  assert.deepEqual(words("“城市低保 发放人数”：元/人/年"), ["城市低保", "发放人数", "元", "人", "年"]);
});

test("the grammar is generated from the keywords of perfrules/vocabulary.py", (t) => {
  const { build, readKeywords, readItems, printedVocabulary, VOCABULARY, OUT } = require(path.join(ROOT, "scripts", "build-grammar.js"));
  if (!fs.existsSync(VOCABULARY)) {
    t.skip(`${VOCABULARY} not found (not inside the perfrules repository)`);
    return;
  }
  const vocabulary = printedVocabulary();
  const expected = build(readKeywords(vocabulary), readItems(vocabulary));
  assert.ok(
    fs.readFileSync(OUT, "utf8") === expected,
    "syntaxes/perfrules.tmLanguage.json is out of date: run `npm run build:grammar` (then `npm run update-snapshots` and review the diff)",
  );
});

test("every keyword terminal of the vocabulary has a scope", () => {
  const { build, readKeywords } = require(path.join(ROOT, "scripts", "build-grammar.js"));
  const vocabulary = JSON.stringify({ keywords: { WEIGHT: ["weight", "权重", "分值"], SPARKLE: ["sparkle", "闪光"] } });
  assert.throws(() => build(readKeywords(vocabulary)), /no scope for SPARKLE/);
});

test("the keywords that begin an expect item come from the vocabulary", () => {
  const { build, readKeywords, readItems, printedVocabulary, VOCABULARY } = require(path.join(ROOT, "scripts", "build-grammar.js"));
  if (!fs.existsSync(VOCABULARY)) return;
  const vocabulary = JSON.parse(printedVocabulary());
  const expectPatterns = (json) =>
    JSON.stringify(JSON.parse(build(readKeywords(json), readItems(json))).repository["expect-block"].patterns);
  assert.ok(expectPatterns(JSON.stringify(vocabulary)).includes("复核分"));
  vocabulary.items.expect_item = ["TOTAL", "GRADE"];
  assert.ok(!expectPatterns(JSON.stringify(vocabulary)).includes("复核分"));
  vocabulary.items.expect_item = ["TOTAL", "SPARKLE"];
  assert.throws(() => expectPatterns(JSON.stringify(vocabulary)), /expect_item: not keyword terminals of the vocabulary: SPARKLE/);
  delete vocabulary.items;
  assert.throws(() => expectPatterns(JSON.stringify(vocabulary)), /no keywords for expect_item/);
});
