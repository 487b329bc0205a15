from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from apps.api.base import ScopedReadOnlyViewSet
from apps.api.serializers import IndicatorSerializer, OrgSerializer, ProgrammeSerializer, QuotaSerializer
from apps.campaigns.indicators import indicators_for
from apps.campaigns.models import Programme
from apps.campaigns.selectors import programme_quotas
from apps.core.scoping import subtree_q
from apps.orgs.models import Org


class PathPagination(CursorPagination):
    ordering = "path"


class OrgViewSet(ScopedReadOnlyViewSet):
    """The orgs in the caller's scope: the acting org and everything below it."""

    queryset = Org.plain.none()  # the model, for the schema; get_queryset scopes every request
    serializer_class = OrgSerializer
    pagination_class = PathPagination
    lookup_field = "code"

    def get_queryset(self):
        if self.acting_org is None:
            return Org.objects.none()
        return Org.objects.filter(subtree_q(self.acting_org.path)).select_related("parent")


class ProgrammeViewSet(ScopedReadOnlyViewSet):
    """Programmes the caller can see: its own province's (or all, for the centre) and the brand project."""

    queryset = Programme.plain.none()  # the model, for the schema; get_queryset scopes every request
    serializer_class = ProgrammeSerializer
    pagination_class = None

    def get_queryset(self):
        return Programme.objects.select_related("campaign", "org").order_by("-campaign__year", "kind", "org__code")

    @extend_schema(responses=QuotaSerializer(many=True))
    @action(detail=True, methods=["get"])
    def quotas(self, request, pk=None):
        """Per city: associations under it, its quota (R-104) and the minimum list length ceil(1.2·quota) (R-105)."""
        programme = self.get_object()
        if programme.kind != programme.Kind.PROVINCE:
            raise NotFound()
        rows = programme_quotas(programme)
        return Response(QuotaSerializer(rows, many=True).data)

    @extend_schema(responses=IndicatorSerializer(many=True))
    @action(detail=True, methods=["get"])
    def indicators(self, request, pk=None):
        """Each rule's indicator (R-101…R-110 for a province): target, value, status (met, at_risk, failed,
        not_due), deadline (a Beijing date) and the evidence. The programme's own org and the orgs above read them;
        an org below answers 404, as the programme page hides them."""
        programme = self.get_object()
        if self.acting_org is None or not programme.org.is_under(self.acting_org):
            raise NotFound()
        return Response(IndicatorSerializer([i.as_dict() for i in indicators_for(programme)], many=True).data)


@csrf_exempt  # it changes nothing; a POST must get the same 404 as the API's views give, not the CSRF page
def not_found(request, *args, **kwargs):
    """Any other path under /api/ (an id that is not a number, a misspelt name) answers 404 in JSON, as the API's
    own 404s do, whatever the method, rather than with the site's HTML page."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
