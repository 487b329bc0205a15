"""The OpenAPI document states every answer an operation can give, errors included.

drf-spectacular documents the success of each operation; this AutoSchema adds, to every operation, the errors it
can answer, in the two shapes apps/api/exceptions.py gives them:

- 400 `Problems`: a request the operation refuses (a body or a query parameter that is malformed, of the wrong type,
  out of range, or that breaks a rule); for operations with a request body or query parameters other than the cursor;
- 401 and 403 `Error`: no valid token or session; a session without its CSRF token, or a person who must first change
  the password an admin set; for every operation that needs a signed-in caller;
- 404 `Error`: an id or code that names nothing the caller may see (the same answer for both), or a stale cursor;
  for operations with a path parameter or pages.

An operation that declares one of these codes itself (`@extend_schema(responses={400: …})`) keeps its own.

Used through REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "apps.api.schema.AutoSchema".
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse

from apps.api.serializers import ErrorSerializer, ProblemsSerializer

BAD_REQUEST = OpenApiResponse(ProblemsSerializer, description="请求有误：detail 列出每个问题及修改办法；字段的问题以字段名为键")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="未登录：缺少令牌，或令牌无效、已过期、已撤销")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="不允许：会话请求缺少 CSRF 令牌，或须先在网页上修改管理员设置的密码")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="不存在或无权查看（两者回答相同），或分页游标无效")


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        for code, response in self.error_responses().items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies

    def error_responses(self) -> dict[str, OpenApiResponse]:
        parameters = self._get_parameters()
        paginator = self._get_paginator() if self._is_list_view() else None
        cursor = getattr(paginator, "cursor_query_param", None)
        errors = {}
        has_body = self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None
        if has_body or any(p["in"] == "query" and p["name"] != cursor for p in parameters):
            errors["400"] = BAD_REQUEST
        if {} not in self.get_auth():  # {} is "no credentials needed"
            errors["401"] = UNAUTHENTICATED
            errors["403"] = FORBIDDEN
        if paginator is not None or any(p["in"] == "path" for p in parameters):
            errors["404"] = NOT_FOUND
        return errors
