from apps.review.permissions import expert_of


def expert(request):
    """Whether the signed-in person is an expert (the navigation shows 「我的评审」)."""
    user = getattr(request, "user", None)
    return {"is_expert": expert_of(user) is not None if user is not None else False}
