from apps.orgs.acting import acting_org
from apps.orgs.scoping import scope


class ScopeMiddleware:
    """Runs every request inside the scope of the org the person acts for (or the public scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        org = acting_org(request.user, request.session)
        request.acting_org = org
        with scope(org=org):
            return self.get_response(request)
