"""The topic export in the API (R-301): the same versioned document as /topic/export.json, for the centre's service
platform (园企科协办事大厅 活动专栏) to poll. No log-in: it holds only what the centre approved for the public. It
answers 304 to If-None-Match (its ETag) and If-Modified-Since (its Last-Modified) until something changes."""

from __future__ import annotations

from django.http import Http404
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.publication import public


class TopicExportView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiResponse(description="docs/schemas/topic-export-1.json"),
                              304: OpenApiResponse(description="not modified")}, auth=[])
    def get(self, request):
        campaign = public.current_campaign()
        if campaign is None:
            raise Http404()
        tag, latest = public.export_state(campaign)
        etag = quote_etag(tag)
        modified = int(latest.timestamp()) if latest is not None else None
        cached = get_conditional_response(request, etag=etag, last_modified=modified)
        if cached is not None:
            return cached
        response = Response(public.export_document(campaign, base=request.build_absolute_uri("/").rstrip("/")))
        response["ETag"] = etag
        if modified is not None:
            response["Last-Modified"] = http_date(modified)
        response["Cache-Control"] = "no-cache"
        return response
