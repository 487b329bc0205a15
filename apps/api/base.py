"""API views run inside the same scope as the pages: the org the token's owner acts for."""

from rest_framework import viewsets

from apps.orgs.acting import acting_org
from apps.orgs.scoping import scope


class ScopedAPIMixin:
    """DRF authenticates inside the view, after the middleware has set the public scope;
    so the scope of the authenticated person is entered here, around the handler."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.acting_org = acting_org(request.user, getattr(request, "session", None))
        self._scope = scope(org=self.acting_org)
        self._scope.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        active = getattr(self, "_scope", None)
        if active is not None:
            self._scope = None
            active.__exit__(None, None, None)
        return super().finalize_response(request, response, *args, **kwargs)


class ScopedReadOnlyViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    pass
