import time
from urllib.parse import urlencode

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.scoping import scope
from apps.orgs.acting import acting_org


class ScopeMiddleware:
    """Runs every request inside the scope of the org the person acts for (or the public scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        org = acting_org(request.user, request.session)
        request.acting_org = org
        with scope(org=org):
            return self.get_response(request)


class SessionKeepAliveMiddleware:
    """Idle sessions end after SESSION_COOKIE_AGE (30 minutes): each request of a signed-in person pushes the
    end back. Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) costs three queries a page
    (bench/review_ranking.py); this saves it when the last push is more than TOUCH_SECONDS old, so a session
    ends between 29 and 30 idle minutes. Placed after SessionMiddleware, whose response step saves it."""

    TOUCH_SECONDS = 60
    KEY = "_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def touch_on_login(cls, sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(time.time())

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A page polling by itself (htmx every few seconds, or a reload marked ?poll=1) is not the person
        # being active: it must not keep an unattended session alive.
        polling = request.headers.get("HX-Request") == "true" or "poll" in request.GET
        if session is not None and not polling and not session.is_empty() and not session.modified:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.TOUCH_SECONDS:
                session[self.KEY] = now
        return response


class PasswordChangeRequiredMiddleware:
    """A person whose password an admin chose (User.must_change_password) replaces it before anything else:
    every page but "my account" (where the password is changed), log-out and language switching sends them
    there; the API answers 403 with the same advice."""

    ALLOWED = {"account", "logout", "set_language", "captcha", "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.must_change_password:
            return None
        if request.resolver_match.url_name in self.ALLOWED:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": _("请先在网页上修改管理员为您设置的密码，然后再使用接口")}, status=403)
        messages.warning(request, _("您的密码由管理员设置，请先修改密码"))
        return redirect(f"{reverse('account')}?{urlencode({'next': request.get_full_path()})}")
