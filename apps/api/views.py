from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.pagination import CursorPagination

from apps.api.base import ScopedReadOnlyViewSet
from apps.api.serializers import OrgSerializer
from apps.orgs.models import Org
from apps.orgs.scoping import subtree_q


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}; then send `Authorization: Token …`."""


class PathPagination(CursorPagination):
    ordering = "path"


class OrgViewSet(ScopedReadOnlyViewSet):
    """The orgs in the caller's scope: the acting org and everything below it."""

    serializer_class = OrgSerializer
    pagination_class = PathPagination
    lookup_field = "code"

    def get_queryset(self):
        if self.acting_org is None:
            return Org.objects.none()
        return Org.objects.filter(subtree_q(self.acting_org.path)).select_related("parent")
