from apps.orgs.acting import memberships_of


def acting(request):
    user = getattr(request, "user", None)
    return {
        "acting_org": getattr(request, "acting_org", None),
        "my_memberships": memberships_of(user) if user is not None else [],
    }
