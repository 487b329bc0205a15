"""API tokens (apps.orgs.tokens): a person gets one with their user name (or phone) and password, lists the
ones that still work and ends any of them. Tokens end by themselves after API_TOKEN_DAYS.

    POST   /api/v1/auth/token/          {"username", "password"} → {"token", "key", "expiry"} (shown once)
    GET    /api/v1/auth/tokens/         the caller's own tokens: key (first 8 characters), created, expiry
    DELETE /api/v1/auth/tokens/{key}/   end one of them
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.base import text_or_404
from apps.api.serializers import ErrorSerializer, ProblemsSerializer
from apps.orgs import lockout, tokens


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="用户名或手机号码")
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="令牌全文，仅此一次返回；请求时放在 Authorization: Token <token>")
    key = serializers.CharField(help_text="令牌前8位，用于区分和撤销")
    expiry = serializers.DateTimeField(help_text="到期时间")


class TokenInfoSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="令牌前8位")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    current = serializers.BooleanField(help_text="是否为本次请求所用的令牌")


class TokenView(APIView):
    """Exchange a user name (or phone) and password for a token; failures count towards the log-in lock."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=LoginSerializer, responses={200: NewTokenSerializer, 400: ProblemsSerializer})
    def post(self, request):
        login = LoginSerializer(data=request.data)
        login.is_valid(raise_exception=True)
        if lockout.captcha_needed(request._request, login.validated_data["username"]):
            # No password is checked here once the account has failed: guesses sent to the API cannot lock it.
            raise ValidationError({"detail": [_("该账号近期登录失败较多，请先在网页上登录（需输入图片验证码）后再申请接口令牌")]})
        user = authenticate(request._request, username=login.validated_data["username"],
                            password=login.validated_data["password"])
        if user is None:
            raise ValidationError({"detail": [_("用户名或密码不正确。连续失败5次将锁定15分钟。")]})
        token, text = tokens.token_create(user=user, by=user)
        return Response({"token": text, "key": token.token_key[:tokens.KEY_SHOWN], "expiry": token.expiry})


class MyTokensView(APIView):
    """The caller's own tokens that still work."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TokenInfoSerializer(many=True))
    def get(self, request):
        current = getattr(request.auth, "token_key", None)
        rows = [{"key": t.token_key[:tokens.KEY_SHOWN], "created": t.created, "expiry": t.expiry,
                 "current": t.token_key == current} for t in tokens.tokens_of(request.user)]
        return Response(TokenInfoSerializer(rows, many=True).data)


class MyTokenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: OpenApiResponse(description="已撤销"),
                              404: OpenApiResponse(ErrorSerializer, description="无此令牌")})
    def delete(self, request, key: str):
        """End one of the caller's own tokens (another person's answers 404 like a missing one)."""
        tokens.token_revoke(user=request.user, by=request.user, key=text_or_404(key))
        return Response(status=status.HTTP_204_NO_CONTENT)
