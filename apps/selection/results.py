"""A locked round's result as one document anyone with access can recompute (issue 7, item 6).

The document holds the formula (methods, weights, sentences), the rules (as data, with R-ids), the inputs of
every candidate (composite parts; each expert's sheet total under a pseudonym E1, E2 … numbered by the
round; vote counts), the ranking and the list. No personal data: no expert names or ids, no voter or
contact, no phone. Its SHA-256 is taken over canonical JSON (sorted keys, no spaces, UTF-8), so
`sha256sum` of the downloaded .json file prints the digest stored when the list was locked.

`python manage.py round_recompute <id>` builds the document again from the stored scores, votes and rules
and compares digests; it also recomputes every total from the document's own parts and weights.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict

from apps.cases.models import Case
from apps.core.canonical import canonical_bytes
from apps.core.canonical import digest as canonical_digest
from apps.orgs.excel import safe_cell
from apps.orgs.models import Org
from apps.rounds.models import Round
from apps.selection.composite import Composite, round_half
from apps.selection.context import RoundContext, round_context
from apps.selection.validator import validate

FORMAT = "innocase.selection.result/1"


def canonical(document: dict) -> bytes:
    """The document's bytes as stored, served and hashed (apps.core.canonical: sorted keys, no spaces, UTF-8)."""
    return canonical_bytes(document)


def digest(document: dict) -> str:
    """The SHA-256 recorded when the list was locked, and what `sha256sum` of the downloaded .json prints."""
    return canonical_digest(document)


def _rule_data(rule) -> dict:
    data = asdict(rule)
    if "names" in data:  # group ids → names: JSON keys are strings
        data["names"] = {str(k): v for k, v in sorted(data["names"].items(), key=lambda kv: str(kv[0]))}
    if "table" in data:
        data["table"] = {str(k): v for k, v in sorted(data["table"].items(), key=lambda kv: str(kv[0]))}
    return data


def _reviewers(composite: Composite) -> dict[int, str]:
    """Expert id → pseudonym E1, E2 … in id order over the round's sheets (stable for a recompute)."""
    ids = sorted({e.expert_id for ranking in composite.rankings.values() for row in ranking.rows for e in row.experts})
    return {expert: f"E{n}" for n, expert in enumerate(ids, start=1)}


def result_document(round: Round, case_ids: list[int], context: RoundContext | None = None) -> dict:
    """The result of `round` with `case_ids` as its list (put in ranking order), built from what is stored now
    (from `context` when the caller built it, with the rankings: apps.selection.context)."""
    context = context or round_context(round, with_rankings=True)
    composite = context.composite
    candidates = {c.id: c for c in context.candidates}
    rules = context.rules
    reviewers = _reviewers(composite)
    sheets = {method: {row.case_id: row for row in ranking.rows} for method, ranking in composite.rankings.items()}
    named = {pk: (title, enterprise) for pk, title, enterprise
             in Case.plain.filter(pk__in=candidates).values_list("pk", "title", "enterprise__name")}
    cities = dict(Org.plain.filter(pk__in={c.city for c in candidates.values() if c.city}).values_list("pk", "name"))
    rows = {row.case_id: row for row in composite.rows}
    inputs = []
    for case_id in sorted(candidates):
        candidate, row = candidates[case_id], rows.get(case_id)
        parts = {}
        for part in (row.parts if row else ()):
            data: dict = {"score": part.score}
            if part.method in sheets:
                found = sheets[part.method].get(case_id)
                data["sheets"] = [{"reviewer": reviewers[e.expert_id], "raw": e.raw, "normalised": e.normalised,
                                   "used": e.used} for e in sorted(found.experts, key=lambda e: reviewers[e.expert_id])
                                  ] if found else []
            if part.method == "voting":
                data["detail"] = part.detail
            parts[part.method] = data
        title, enterprise = named.get(case_id, ("", ""))
        inputs.append({"case_id": case_id, "title": title, "enterprise": enterprise,
                       "city": cities.get(candidate.city, ""),
                       "channel": candidate.channel, "eligible": candidate.eligible, "parts": parts})
    order = {r.case_id: r.rank for r in composite.rows}
    chosen = sorted(dict.fromkeys(int(c) for c in case_ids), key=lambda c: (order.get(c, len(order) + 1), c))
    return {
        "format": FORMAT,
        "round": {"id": round.pk, "kind": round.kind, "org": round.org.name, "org_code": round.org.code,
                  "campaign": round.programme.campaign.year},
        "formula": {"methods": list(composite.methods), "weights": composite.weights,
                    "sentences": list(composite.formula),
                    "review_options": {m: asdict(r.options) for m, r in sorted(composite.rankings.items())}},
        "rules": [_rule_data(r) for r in rules],
        "inputs": inputs,
        "ranking": [{"rank": r.rank, "case_id": r.case_id, "total": r.total} for r in composite.rows],
        "list": chosen,
        "violations": [{"rule": v.rule, "kind": v.kind, "message": v.message, "needed": v.needed, "have": v.have,
                        "cases": list(v.cases)} for v in validate(rules, list(candidates.values()), chosen)],
    }


def recheck_totals(document: dict) -> list[int]:
    """Cases whose total in the document's ranking does not follow from the document's own parts and weights
    (a missing part counts 0); [] for an untampered document."""
    weights = document["formula"]["weights"]
    parts = {row["case_id"]: row["parts"] for row in document["inputs"]}
    wrong = []
    for line in document["ranking"]:
        found = parts.get(line["case_id"], {})
        total = sum((found.get(m, {}).get("score") or 0.0) * float(w) / 100.0 for m, w in weights.items())
        if abs(round_half(total) - line["total"]) > 1e-9:
            wrong.append(line["case_id"])
    return wrong


CSV_HEAD = ["rank", "case_id", "title", "enterprise", "city", "channel", "eligible", "total", "on_list"]


def result_csv(document: dict) -> str:
    """The ranking as CSV, one row a candidate: rank, case, each method's score, total and whether it is listed.
    Rendered from the document, so its bytes are the same wherever and whenever it is downloaded; the digest
    shown beside the link (`csv_digest`) is taken over these same bytes. Text cells (title, enterprise, city,
    channel) go through `safe_cell`, so a title typed as "=HYPERLINK(…)" stays text in the reader's Excel;
    numbers, negative ones included, are written as they are."""
    methods = document["formula"]["methods"]
    inputs = {row["case_id"]: row for row in document["inputs"]}
    listed = set(document["list"])
    out = io.StringIO()
    # RFC 4180's CRLF: the writer quotes a field only for a character of the line terminator. With "\n" alone a
    # "\r" in a title would go out unquoted, and a reader breaking the line there would read the text after it
    # (the "=1" of "'\r=1") as a new row starting with a formula.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEAD[:7] + [f"score_{m}" for m in methods] + CSV_HEAD[7:])
    for line in document["ranking"]:
        row = inputs.get(line["case_id"], {})
        scores = ["" if row.get("parts", {}).get(m, {}).get("score") is None else f"{row['parts'][m]['score']:.4f}"
                  for m in methods]
        texts = [safe_cell(row.get(key) or "") for key in ("title", "enterprise", "city", "channel")]
        writer.writerow([line["rank"], line["case_id"], *texts, int(bool(row.get("eligible"))), *scores,
                         f"{line['total']:.4f}", int(line["case_id"] in listed)])
    return out.getvalue()


def csv_digest(document: dict) -> str:
    """The SHA-256 of the CSV's bytes as `result_csv` renders them and the download serves them (UTF-8)."""
    return hashlib.sha256(result_csv(document).encode()).hexdigest()
