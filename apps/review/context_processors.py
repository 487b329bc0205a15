from apps.review.permissions import expert_of
from apps.rounds.kinds import keeps_pool


def expert(request):
    """Whether the signed-in person is an expert (the navigation shows 「我的评审」), and whether the acting org
    keeps an expert pool (「专家库」: the orgs that run a scored round, by the kinds table)."""
    user = getattr(request, "user", None)
    acting = getattr(request, "acting_org", None)
    return {"is_expert": expert_of(user) is not None if user is not None else False,
            "keeps_pool": keeps_pool(acting)}
