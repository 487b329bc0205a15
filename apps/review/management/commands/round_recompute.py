"""Recompute a round's ranking from its stored score sheets and compare it with the saved snapshot."""

from django.core.management.base import BaseCommand, CommandError

from apps.orgs.scoping import scopes_disabled
from apps.review import services
from apps.review.config import review_config
from apps.review.models import RankingSnapshot
from apps.rounds.models import Round


class Command(BaseCommand):
    help = "Recompute a round's ranking from the stored score sheets and compare it with its latest snapshot."

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int)

    def handle(self, *args, round_id: int, **options):
        with scopes_disabled():
            round = Round.plain.select_related("org").filter(pk=round_id).first()
            if round is None:
                raise CommandError(f"no round {round_id}")
            snapshot = RankingSnapshot.plain.filter(round=round).order_by("-created_at", "-id").first()
            method = snapshot.method if snapshot else "review"
            data = {"round": round.pk, "method": method, "config": review_config(round).as_json(),
                    "ranking": services.ranking_of(round, method).as_dict()}
        digest = services.ranking_digest(data)
        rows = data["ranking"]["rows"]
        self.stdout.write(f"{round}: {len(rows)} ranked cases, sha256 {digest}")
        if snapshot is None:
            self.stdout.write("no snapshot saved yet: nothing to compare")
            return
        stored = services.ranking_digest(snapshot.data)
        if stored != snapshot.sha256:
            raise CommandError(f"snapshot {snapshot.pk} was altered: its data hashes to {stored}, "
                               f"it records {snapshot.sha256}")
        if digest != snapshot.sha256:
            before = {r["case_id"]: r for r in snapshot.data["ranking"]["rows"]}
            changed = [r["case_id"] for r in rows if before.get(r["case_id"]) != r]
            changed += [cid for cid in before if cid not in {r["case_id"] for r in rows}]
            raise CommandError(f"differs from snapshot {snapshot.pk} of {snapshot.created_at:%Y-%m-%d %H:%M} "
                               f"({snapshot.sha256}); cases whose rows differ: {sorted(set(changed))[:50]}")
        self.stdout.write(self.style.SUCCESS(f"identical to snapshot {snapshot.pk} ({snapshot.sha256})"))
