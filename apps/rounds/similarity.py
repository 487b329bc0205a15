"""Near-duplicate cases across a province (a flag of county screening, R-107).

Similarity is the Jaccard index of the sets of character 3-grams ("shingles") of title + abstract + body,
after normalising (NFKC, lower case, letters and digits only: punctuation and spaces do not count).

Finding the pairs above the threshold among ~3,000 cases of a province without comparing all ~4.5 M pairs:
**MinHash signatures with LSH banding.** Each case gets a 128-value signature (one-permutation hashing:
one hash per shingle, the low 7 bits choose a bin, each bin keeps its minimum; empty bins of very short
texts are filled by rotation). Two cases agree on a bin with probability ≈ their Jaccard index. The 128
bins are cut into 32 bands of 4; cases that agree on a whole band become candidates, so a pair with
Jaccard 0.6 is a candidate with probability 1 − (1 − 0.6⁴)³² ≈ 0.99 and a pair at 0.2 with ≈ 0.05.
Candidates are then verified with the exact Jaccard of their shingle sets, so every pair shown really
is above the threshold.

Why not an inverted index over the shingles themselves: Chinese case texts on one theme share many
common trigrams (「数字化」「创新的」「企业在」), so their posting lists hold most of the province and the
candidate pairs approach n². Prefix filtering (rare shingles first) fixes that but needs every case's
full shingle set in memory on every page; a signature is 512 bytes, stored per case (CaseFingerprint)
and recomputed only when the case changed.
"""

from __future__ import annotations

import struct
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from apps.cases.models import Case
from apps.core.scoping import subtree_q
from apps.rounds.models import CaseFingerprint

SHINGLE = 3
# Jaccard of 3-gram sets at or above which two cases are flagged. A copied case with a new title and a few
# edited sentences scores 0.7–0.95; two honest cases on the same theme (digital production lines, say)
# share phrases but stay below 0.3. 0.6 leaves room for moderate rewording without flagging look-alikes.
THRESHOLD = 0.6
BINS = 128
BANDS = 32
ROWS = BINS // BANDS
_BIN_BITS = 7  # 2**7 == BINS
_EMPTY = 0xFFFFFFFF
_ROTATE = 0x9E3779B1  # odd constant: an empty bin filled from j bins on differs from the source value
_PACK = struct.Struct(f"<{BINS}I")
TEXT_FIELDS = ("title", "abstract", *(name for name, _label in Case.SECTIONS))
# Cases that count as "submitted" for the province-wide comparison (drafts are not anybody's list yet).
COMPARED_STATUSES = (Case.Status.SUBMITTED, Case.Status.RETURNED)


# -- text -----------------------------------------------------------------------------------------

def _keep(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", ch).lower() if c.isalnum())


def normalise(text: str) -> str:
    """NFKC, lower case, letters and digits only (CJK characters are letters)."""
    return _keep(text or "")


def case_text(source) -> str:
    """Title, abstract and the five body sections of a case (an object or a dict of its fields)."""
    get = source.get if isinstance(source, dict) else (lambda name: getattr(source, name, ""))
    return "\n".join(get(name) or "" for name in TEXT_FIELDS)


def shingle_hashes(text: str) -> set[int]:
    """The 3-gram shingles of the normalised text, each as a stable 32-bit hash (CRC-32 of UTF-32)."""
    norm = normalise(text)
    if not norm:
        return set()
    raw = norm.encode("utf-32-le")
    if len(norm) < SHINGLE:
        return {zlib.crc32(raw)}
    width = 4 * SHINGLE
    return {zlib.crc32(raw[j:j + width]) for j in range(0, len(raw) - width + 4, 4)}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# -- signatures -----------------------------------------------------------------------------------

def signature(hashes: Iterable[int]) -> tuple[int, ...]:
    """One-permutation MinHash: bin by the low bits, keep each bin's smallest high part."""
    sig = [_EMPTY] * BINS
    mask = BINS - 1
    for h in hashes:
        i = h & mask
        v = h >> _BIN_BITS
        if v < sig[i]:  # noqa: PLR1730  (min() is twice as slow in this hot loop)
            sig[i] = v
    filled = [i for i, v in enumerate(sig) if v != _EMPTY]
    if not filled:
        return tuple(sig)
    if len(filled) < BINS:  # rotation densification: borrow from the next filled bin, marked by distance
        out = list(sig)
        for i in range(BINS):
            if sig[i] == _EMPTY:
                j = 1
                while sig[(i + j) % BINS] == _EMPTY:
                    j += 1
                out[i] = (sig[(i + j) % BINS] + j * _ROTATE) & 0xFFFFFFFF
        sig = out
    return tuple(sig)


def pack(sig: tuple[int, ...]) -> bytes:
    return _PACK.pack(*sig)


def unpack(raw) -> tuple[int, ...]:
    return _PACK.unpack(bytes(raw))


def band_keys(sig: tuple[int, ...]) -> list[tuple]:
    return [(b, sig[b * ROWS:(b + 1) * ROWS]) for b in range(BANDS)]


def candidate_pairs(signatures: dict[int, tuple[int, ...]], among: set[int] | None = None) -> set[tuple[int, int]]:
    """Pairs (a, b), a < b, that agree on at least one whole band. With `among`, only pairs touching it."""
    buckets: dict[tuple, list[int]] = defaultdict(list)
    if among is None:
        for key, sig in signatures.items():
            for band in band_keys(sig):
                buckets[band].append(key)
        pairs = set()
        for members in buckets.values():
            if len(members) > 1:
                for i, a in enumerate(members):
                    for b in members[i + 1:]:
                        pairs.add((a, b) if a < b else (b, a))
        return pairs
    for key in among:
        if key in signatures:
            for band in band_keys(signatures[key]):
                buckets[band].append(key)
    pairs = set()
    for key, sig in signatures.items():
        for band in band_keys(sig):
            for other in buckets.get(band, ()):
                if other != key:
                    pairs.add((key, other) if key < other else (other, key))
    return pairs


@dataclass(frozen=True)
class Pair:
    a: int
    b: int
    similarity: float

    def other(self, case_id: int) -> int:
        return self.b if case_id == self.a else self.a


@dataclass
class SearchStats:
    documents: int = 0
    candidates: int = 0
    verified: int = 0


def near_duplicates(texts: dict[int, str], threshold: float = THRESHOLD) -> tuple[list[Pair], SearchStats]:
    """Every pair of texts with Jaccard ≥ threshold, found through LSH candidates (in memory)."""
    shingles = {key: shingle_hashes(text) for key, text in texts.items()}
    sigs = {key: signature(s) for key, s in shingles.items() if s}
    candidates = candidate_pairs(sigs)
    pairs = [Pair(a, b, jaccard(shingles[a], shingles[b])) for a, b in candidates]
    found = sorted((p for p in pairs if p.similarity >= threshold), key=lambda p: (-p.similarity, p.a, p.b))
    return found, SearchStats(documents=len(texts), candidates=len(candidates), verified=len(found))


# -- the province's index (stored signatures) -----------------------------------------------------

def province_cases_q(programme) -> Q:
    """The programme's cases that take part in the comparison: submitted (or returned) in the province."""
    return (Q(campaign_id=programme.campaign_id, status__in=COMPARED_STATUSES)
            & subtree_q(programme.org.path, "county__path"))


def province_signatures(programme) -> dict[int, tuple[int, ...]]:
    """{case id: signature} for the province, refreshing the stored signatures of cases changed since.

    Structural read (plain managers): it spans counties, so callers decide what of another county's
    case a person may see. A fixed number of queries: one read, and for changed cases one text read and
    one upsert.
    """

    rows = list(Case.plain.filter(province_cases_q(programme))
                .values_list("id", "updated_at", "fingerprint__case_updated_at", "fingerprint__signature"))
    sigs: dict[int, tuple[int, ...]] = {}
    stale: dict[int, object] = {}
    for case_id, updated_at, fp_updated_at, raw in rows:
        if raw is not None and fp_updated_at == updated_at:
            sigs[case_id] = unpack(raw)
        else:
            stale[case_id] = updated_at
    if stale:
        fresh = []
        for row in Case.plain.filter(pk__in=list(stale)).values("id", "updated_at", *TEXT_FIELDS):
            hashes = shingle_hashes(case_text(row))
            sig = signature(hashes)
            sigs[row["id"]] = sig
            fresh.append(CaseFingerprint(case_id=row["id"], case_updated_at=row["updated_at"],
                                         signature=pack(sig), shingle_count=len(hashes)))
        CaseFingerprint.plain.bulk_create(fresh, update_conflicts=True, unique_fields=["case"],
                                          update_fields=["case_updated_at", "signature", "shingle_count"])
    return {k: v for k, v in sigs.items() if any(x != _EMPTY for x in v)}


def flagged_pairs(programme, case_ids: Iterable[int], threshold: float = THRESHOLD) -> list[Pair]:
    """Near-duplicate pairs of the province that involve at least one of `case_ids`, verified exactly."""
    targets = set(case_ids)
    if not targets:
        return []
    sigs = province_signatures(programme)
    candidates = candidate_pairs(sigs, among=targets)
    if not candidates:
        return []
    involved = {x for pair in candidates for x in pair}
    shingles = {row["id"]: shingle_hashes(case_text(row))
                for row in Case.plain.filter(pk__in=involved).values("id", *TEXT_FIELDS)}
    found = []
    for a, b in candidates:
        score = jaccard(shingles.get(a, set()), shingles.get(b, set()))
        if score >= threshold:
            found.append(Pair(a, b, score))
    return sorted(found, key=lambda p: (-p.similarity, p.a, p.b))


# -- showing a pair -------------------------------------------------------------------------------

def highlight(text: str, shared: set[int]) -> list[tuple[str, bool]]:
    """The text cut into runs, each marked True where it lies inside a shingle both cases contain."""
    text = text or ""
    chars: list[str] = []  # normalised characters
    origin: list[int] = []  # index in `text` of each normalised character
    for i, ch in enumerate(text):
        for c in _keep(ch):
            chars.append(c)
            origin.append(i)
    marked = [False] * len(text)
    for j in range(len(chars) - SHINGLE + 1):
        if zlib.crc32("".join(chars[j:j + SHINGLE]).encode("utf-32-le")) in shared:
            for i in range(origin[j], origin[j + SHINGLE - 1] + 1):
                marked[i] = True
    runs: list[tuple[str, bool]] = []
    for ch, flag in zip(text, marked):
        if runs and runs[-1][1] == flag:
            runs[-1] = (runs[-1][0] + ch, flag)
        else:
            runs.append((ch, flag))
    return runs


def shared_shingles(a_text: str, b_text: str) -> tuple[set[int], float]:
    a, b = shingle_hashes(a_text), shingle_hashes(b_text)
    return a & b, jaccard(a, b)
