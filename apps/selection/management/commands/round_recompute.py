"""Recompute a round's results from what is stored and compare them with what was recorded:

- the expert-review ranking against its latest saved snapshot (apps.review), and
- the latest locked list's result document (apps.selection.results: formula, inputs, ranking, list) against the
  SHA-256 stored when the list was locked; every total is also recomputed from the document's own parts.

Exit status 0 when everything matches, else an error naming what differs.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.core.scoping import scopes_disabled
from apps.review import services
from apps.review.config import review_config
from apps.review.models import RankingSnapshot
from apps.rounds.models import Round
from apps.selection import results
from apps.selection.selectors import latest_locked


class Command(BaseCommand):
    help = ("Recompute a round's ranking and its locked list's result from the stored scores, votes and rules, "
            "and compare them with the saved snapshot and the SHA-256 recorded at locking.")

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)

    def handle(self, *args, round_id: int, **options):
        with scopes_disabled():
            round = Round.plain.select_related("org", "programme__campaign").filter(pk=round_id).first()
            if round is None:
                raise CommandError(f"no round {round_id}")
            problems = self.check_review(round) + self.check_locked(round)
        if problems:
            raise CommandError("; ".join(problems))

    def check_review(self, round: Round) -> list[str]:
        snapshot = RankingSnapshot.plain.filter(round=round).order_by("-created_at", "-id").first()
        method = snapshot.method if snapshot else "review"
        data = {"round": round.pk, "method": method, "config": review_config(round).as_json(),
                "ranking": services.ranking_of(round, method).as_dict()}
        digest = services.ranking_digest(data)
        rows = data["ranking"]["rows"]
        self.stdout.write(f"{round}: {len(rows)} ranked cases, sha256 {digest}")
        if snapshot is None:
            self.stdout.write("no snapshot saved yet: nothing to compare")
            return []
        stored = services.ranking_digest(snapshot.data)
        if stored != snapshot.sha256:
            return [f"snapshot {snapshot.pk} was altered: its data hashes to {stored}, it records {snapshot.sha256}"]
        if digest != snapshot.sha256:
            before = {r["case_id"]: r for r in snapshot.data["ranking"]["rows"]}
            changed = [r["case_id"] for r in rows if before.get(r["case_id"]) != r]
            changed += [cid for cid in before if cid not in {r["case_id"] for r in rows}]
            return [f"differs from snapshot {snapshot.pk} of {snapshot.created_at:%Y-%m-%d %H:%M} "
                    f"({snapshot.sha256}); cases whose rows differ: {sorted(set(changed))[:50]}"]
        self.stdout.write(self.style.SUCCESS(f"identical to snapshot {snapshot.pk} ({snapshot.sha256})"))
        return []

    def check_locked(self, round: Round) -> list[str]:

        locked = latest_locked(round)
        if locked is None:
            self.stdout.write("no locked list yet: no result to compare")
            return []
        label = f"locked list {locked.number} ({len(locked.case_ids)} cases)"
        stored = results.digest(locked.result)
        if stored != locked.sha256:
            return [f"{label} was altered: its document hashes to {stored}, it records {locked.sha256}"]
        wrong = results.recheck_totals(locked.result)
        if wrong:
            return [f"{label}: totals that do not follow from their parts and weights: {wrong[:50]}"]
        fresh = results.result_document(round, locked.case_ids)
        digest = results.digest(fresh)
        self.stdout.write(f"{label}: recomputed sha256 {digest}")
        if digest != locked.sha256:
            return [f"{label} differs from its recomputation: " + "; ".join(_differences(locked.result, fresh))]
        when = timezone.localtime(locked.locked_at)
        self.stdout.write(self.style.SUCCESS(f"{label}: identical to the result locked on "
                                             f"{when:%Y-%m-%d %H:%M} ({locked.sha256})"))
        return []


def _differences(before: dict, after: dict) -> list[str]:
    """What changed between two result documents, part by part, naming cases where rows differ."""
    out = []
    for key in ("round", "formula", "rules", "list", "violations"):
        if before.get(key) != after.get(key):
            out.append(f"{key} changed")
    for key in ("inputs", "ranking"):
        old = {row["case_id"]: row for row in before.get(key, [])}
        new = {row["case_id"]: row for row in after.get(key, [])}
        changed = sorted(c for c in old.keys() | new.keys() if old.get(c) != new.get(c))
        if changed:
            out.append(f"{key} of cases {changed[:50]} changed")
    return out or ["the documents differ"]
