#!/usr/bin/python3
"""NLTK's numbers for the exact scorer's cases.

    /usr/bin/python3 scripts/eval/nltk-expected.py   (Debian's python3-nltk, NLTK 3.8)

Reads tests/fixtures/eval/scorer-cases.json and writes tests/fixtures/eval/nltk-expected.json: per
case (one corpus) BLEU-1..4 from nltk corpus_bleu, sentence BLEU-1..4 from nltk sentence_bleu with
SmoothingFunction().method1 averaged over items, GLEU from nltk corpus_gleu; ROUGE-1/2/L and
Distinct-1/2 (which NLTK lacks) are computed here from REFERENCE.md section 3, a second
implementation independent of the TypeScript one. Scores x100 except Distinct, as the scorer
reports them. The output is committed, so `npm test` needs no Python.

The rules the scorer documents are applied the same way here: whitespace is the Unicode
White_Space property; a reference without tokens is dropped and an item left without one is
unscored; Distinct counts every prediction, unscored ones included.
"""
import json
import platform
import sys
import warnings
from collections import Counter
from pathlib import Path

import nltk
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu
from nltk.translate.gleu_score import corpus_gleu

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests/fixtures/eval/scorer-cases.json"
EXPECTED = ROOT / "tests/fixtures/eval/nltk-expected.json"

# Unicode PropList.txt, White_Space (unchanged since Unicode 6.3).
WHITE_SPACE = set(range(0x09, 0x0E)) | {0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000} | set(range(0x2000, 0x200B))


def tokens(text):
    # A Python str iterates by code point: a character outside the BMP is one item.
    return [c for c in text if ord(c) not in WHITE_SPACE]


def ngrams(seq, n):
    return Counter(tuple(seq[i : i + n]) for i in range(len(seq) - n + 1))


def f_measure(overlap, hyp_count, ref_count):
    p = overlap / hyp_count if hyp_count > 0 else 0.0
    r = overlap / ref_count if ref_count > 0 else 0.0
    return 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0


def rouge_n(hyp, ref, n):
    h, r = ngrams(hyp, n), ngrams(ref, n)
    overlap = sum(min(count, r[gram]) for gram, count in h.items())
    return f_measure(overlap, sum(h.values()), sum(r.values()))


def lcs(a, b):
    # The textbook table, row by row: quadratic time is fine for a fixture.
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(hyp, ref):
    return f_measure(lcs(hyp, ref), len(hyp), len(ref))


def distinct(hyps, n):
    grams = [tuple(h[i : i + n]) for h in hyps for i in range(len(h) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def score_case(case):
    all_hyps = [tokens(item["prediction"]) for item in case["items"]]
    hyps, refs, ids = [], [], []
    for item, hyp in zip(case["items"], all_hyps):
        item_refs = [r for r in (tokens(text) for text in item["references"]) if r]
        if item_refs:
            hyps.append(hyp)
            refs.append(item_refs)
            ids.append(item["id"])
    method1 = SmoothingFunction().method1
    scored = len(hyps)
    mean = lambda values: 100 * (sum(values) / scored) if scored else 0.0
    sentence = {n: [sentence_bleu(r, h, weights=(1 / n,) * n, smoothing_function=method1) for r, h in zip(refs, hyps)] for n in range(1, 5)}
    rouge_ls = [max(rouge_l(h, ref) for ref in r) for r, h in zip(refs, hyps)]
    scores = {
        "count": {"scored": scored, "unscored": len(case["items"]) - scored},
        **{f"bleu{n}": 100 * corpus_bleu(refs, hyps, weights=(1 / n,) * n) if scored else 0.0 for n in range(1, 5)},
        **{f"sentenceBleu{n}": mean(sentence[n]) for n in range(1, 5)},
        "gleu": 100 * corpus_gleu(refs, hyps),
        "rouge1": mean([max(rouge_n(h, ref, 1) for ref in r) for r, h in zip(refs, hyps)]),
        "rouge2": mean([max(rouge_n(h, ref, 2) for ref in r) for r, h in zip(refs, hyps)]),
        "rougeL": mean(rouge_ls),
        "distinct1": distinct(all_hyps, 1),
        "distinct2": distinct(all_hyps, 2),
    }
    items = [
        {"id": id_, "hypTokens": len(h), "sentenceBleu4": 100 * s4, "rougeL": 100 * rl}
        for id_, h, s4, rl in zip(ids, hyps, sentence[4], rouge_ls)
    ]
    return {"name": case["name"], "scores": scores, "items": items}


def main():
    if not nltk.__version__.startswith("3.8"):
        print(f"warning: NLTK {nltk.__version__}, the fixture was meant for 3.8", file=sys.stderr)
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    with warnings.catch_warnings():
        # NLTK warns on every zero n-gram precision; that is a case under test here.
        warnings.simplefilter("ignore")
        results = [score_case(case) for case in cases]
    expected = {
        "about": "NLTK's numbers for scorer-cases.json, written by scripts/eval/nltk-expected.py; do not edit.",
        "nltk": nltk.__version__,
        "python": platform.python_version(),
        "cases": results,
    }
    EXPECTED.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(results)} cases, {sum(len(c['items']) for c in results)} scored items, NLTK {nltk.__version__}")


main()
