"""API views run inside the same scope as the pages: the org the token's owner acts for. Path ids and codes that
name nothing answer 404 before any query; query parameters are read through the serializer that declares them."""

import re

from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination

from apps.core.errors import NotFound
from apps.core.scoping import scope
from apps.orgs.acting import acting_org


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


class OldestFirst(CursorPagination):
    """Keyset pages in creation order: constant cost however deep (a province round holds thousands)."""

    ordering = "id"
    page_size = 50


class NewestFirst(CursorPagination):
    """Keyset pages by id, newest first, like the list pages' ?after=<id>: constant cost however deep."""

    ordering = "-id"
    page_size = 50


class ScopedReadOnlyViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if self.lookup_field == "pk":
            id_or_404(value)
        else:
            text_or_404(value)
        return super().get_object()


# Ids are BigAutoFields: a number above the database's BIGINT names nothing (and would overflow the query).
MAX_ID = 2**63 - 1


def id_or_404(value: str) -> int:
    """A path id that is not a number, or one beyond the database's BIGINT, names nothing: the same 404 as a missing
    one."""
    text = str(value)
    if not re.fullmatch(r"[0-9]{1,19}", text) or int(text) > MAX_ID:
        raise NotFound()
    return int(text)


def text_or_404(value: str) -> str:
    """A code or key from the path with a NUL character names nothing (no text column holds one, and PostgreSQL
    refuses to compare with one): the same 404 as a missing one."""
    if "\x00" in value:
        raise NotFound()
    return value


def query_of(params_class: type[serializers.Serializer], request) -> dict:
    """The request's query parameters read through `params_class`, the serializer that also declares them in the
    OpenAPI document (`@extend_schema(parameters=[params_class])`). A wrong type, a number out of range or a value
    off the list answers 400 with the reason in Chinese; so does an empty number or choice (an empty text filter is
    no filter). Parameters it does not name (the cursor) pass untouched."""
    params = params_class(data=request.query_params.dict())
    params.is_valid(raise_exception=True)
    return params.validated_data


def body_of(input_class: type[serializers.Serializer], request) -> dict:
    """The request's body read through `input_class`, the serializer that declares it in the OpenAPI document
    (`@extend_schema(request=input_class)`); problems answer 400, one message each."""
    body = input_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data
