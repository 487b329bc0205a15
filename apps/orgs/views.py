from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.core import captcha
from apps.core.errors import NotFound
from apps.core.excel_import import excel_import
from apps.core.forms import form_action, message_service_error, service_action, show_service_error
from apps.core.home import sections_for
from apps.core.todos import todos_for
from apps.orgs import importer, services, tokens
from apps.orgs.acting import SESSION_KEY, memberships_of
from apps.orgs.excel import XLSX_CONTENT_TYPE
from apps.orgs.forms import ImportForm, LoginForm, MemberExistingForm, MemberNewForm, OrgSearchForm, PasswordResetForm
from apps.orgs.permissions import (
    access_import,
    access_members,
    access_membership,
    access_my_invitation,
    access_org,
    access_org_invitation,
    can_import_tree,
    can_manage_members,
)
from apps.orgs.selectors import (
    breadcrumb,
    children_with_counts,
    members_of,
    orgs_search,
    pending_invitations_for,
    pending_invitations_of,
)

SEARCH_PAGE_SIZE = 30


class LoginView(auth_views.LoginView):
    template_name = "orgs/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        # Only after a failed try for an account that has failed before: the first page shows no captcha.
        context["challenge"] = captcha.challenge_new() if form.is_bound and form.captcha_needed() else None
        return context


@login_required
def home(request):
    org = request.acting_org
    todos = todos_for(request.user, org)  # every provider answers for org None (an expert without an org)
    sections = [render_to_string(s.template, s.context, request=request) for s in sections_for(request.user, org)]
    return render(request, "orgs/home.html", {"todos": todos, "sections": sections})


@login_required
@require_POST
def switch_org(request):
    """Act for another org the person belongs to."""
    try:
        org_id = int(request.POST.get("org", ""))
    except ValueError:
        raise NotFound()
    if not any(m.org_id == org_id for m in memberships_of(request.user)):
        raise NotFound()
    request.session[SESSION_KEY] = org_id
    messages.success(request, _("已切换当前单位"))
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return HttpResponseRedirect(target)


@login_required
def org_detail(request, code):
    """An org's page: where it sits in the tree, the orgs below it with their association
    counts, a search of its subtree, its people."""
    org = access_org(request.user, code)
    form = OrgSearchForm(request.GET or None)
    page = None
    query_prefix = ""
    if form.is_bound and form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["kind"]):
        found = orgs_search(org, within=request.acting_org, q=form.cleaned_data["q"], kind=form.cleaned_data["kind"])
        page = Paginator(found, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        query_prefix = urlencode({"q": form.cleaned_data["q"], "kind": form.cleaned_data["kind"]}) + "&"
    return render(request, "orgs/org_detail.html", {
        "org": org,
        "breadcrumb": breadcrumb(request.user, org),
        "children": children_with_counts(org),
        "members": members_of(org),
        "invitations": pending_invitations_of(org),
        "can_manage": can_manage_members(request.user, org),
        "can_import": can_import_tree(request.user, org),
        "search_form": form,
        "page": page,
        "query_prefix": query_prefix,
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, code):
    """Add a person to an org: an existing account, or a new one with an initial password."""
    org = access_members(request.user, code)
    existing_form = MemberExistingForm(prefix="existing")
    new_form = MemberNewForm(prefix="new")
    if request.method == "POST":
        mode = request.POST.get("mode")
        if mode == "existing":
            existing_form = MemberExistingForm(request.POST, prefix="existing")
            done = form_action(
                request, existing_form,
                lambda: services.member_invite_existing(org=org, by=request.user, **existing_form.cleaned_data),
                success=lambda invitation: _("已邀请%(name)s担任%(role)s。对方登录后接受邀请，角色即生效") % {
                    "name": invitation.user, "role": invitation.get_role_display()},
                then=reverse("org_detail", kwargs={"code": org.code}))
            if done is not None:
                return done
        elif mode == "new":
            new_form = MemberNewForm(request.POST, prefix="new")
            if new_form.is_valid():
                try:
                    membership, generated = services.member_invite(org=org, by=request.user, **new_form.cleaned_data)
                except ValidationError as exc:
                    show_service_error(new_form, exc)
                else:
                    if generated:
                        return render(request, "orgs/member_password_shown.html", {
                            "org": org, "person": membership.user, "password": generated, "created": True})
                    messages.success(request, _("已新建账号%(name)s并添加为%(role)s") % {
                        "name": membership.user, "role": membership.get_role_display()})
                    return redirect("org_detail", code=org.code)
    return render(request, "orgs/member_add.html", {
        "org": org, "existing_form": existing_form, "new_form": new_form})


@login_required
@require_POST
def member_remove(request, pk):
    membership = access_membership(request.user, pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已移除%(name)s的%(role)s角色") % {
            "name": membership.user, "role": membership.get_role_display()})
    return redirect("org_detail", code=membership.org.code)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def member_password(request, pk):
    """Reset a member's password; the new one is shown once."""
    membership = access_membership(request.user, pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password = services.member_password_reset(membership=membership, by=request.user,
                                                      password=form.cleaned_data["password"])
        except ValidationError as exc:
            show_service_error(form, exc)
        else:
            return render(request, "orgs/member_password_shown.html", {
                "org": membership.org, "person": membership.user, "password": password, "created": False})
    return render(request, "orgs/member_password.html", {"membership": membership, "form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """My account: who I am, where I work, change my password."""
    form = PasswordChangeForm(user=request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(user=request.user, old_password=form.cleaned_data["old_password"],
                                          new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            show_service_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改"))
            target = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return HttpResponseRedirect(target)
            return redirect("account")
    return render(request, "orgs/account.html", {
        "form": form, "memberships": memberships_of(request.user),
        "invitations": pending_invitations_for(request.user), "tokens": tokens.tokens_of(request.user),
        "key_shown": tokens.KEY_SHOWN, "token_days": settings.API_TOKEN_DAYS})


@never_cache
@login_required
@require_POST
def account_token_new(request):
    """A new API token for the signed-in person, shown once on a page that is not cached."""
    try:
        token, text = tokens.token_create(user=request.user, by=request.user)
    except ValidationError as exc:
        message_service_error(request, exc)
        return redirect(reverse("account") + "#tokens")
    return render(request, "orgs/token_shown.html", {"token": token, "text": text})


@login_required
@require_POST
def account_token_revoke(request, key):
    tokens.token_revoke(user=request.user, by=request.user, key=key)
    messages.success(request, _("已撤销接口令牌%(key)s…") % {"key": key[:tokens.KEY_SHOWN]})
    return redirect(reverse("account") + "#tokens")


@login_required
@require_POST
def invitation_accept(request, pk):
    invitation = access_my_invitation(request.user, pk)
    return service_action(
        request, lambda: services.invitation_accept(invitation=invitation, by=request.user),
        success=lambda membership: _("您已成为%(org)s的%(role)s") % {"org": membership.org.name,
                                                                   "role": membership.get_role_display()},
        then="home", then_error="account")


@login_required
@require_POST
def invitation_decline(request, pk):
    invitation = access_my_invitation(request.user, pk)
    return service_action(
        request, lambda: services.invitation_decline(invitation=invitation, by=request.user),
        success=_("已拒绝%(org)s的邀请") % {"org": invitation.org.name}, then="account")


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = access_org_invitation(request.user, pk)
    return service_action(
        request, lambda: services.invitation_revoke(invitation=invitation, by=request.user),
        success=_("已撤回对%(name)s的邀请") % {"name": invitation.user},
        then=reverse("org_detail", kwargs={"code": invitation.org.code}))


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request, code):
    """A province admin imports the tree below the province from the Excel template."""
    province = access_import(request.user, code)
    return excel_import(
        request, form_class=ImportForm, template="orgs/org_import.html",
        run=lambda upload, form: importer.orgs_import(province=province, by=request.user, file=upload,
                                                      filename=upload.name),
        context={"org": province, "max_rows": importer.MAX_ROWS,
                 "template_url": reverse("org_import_template", args=[province.code])})


@login_required
def org_import_template(request, code):
    province = access_import(request.user, code)
    filename = _("组织导入模板-%(name)s.xlsx") % {"name": province.name}
    return HttpResponse(importer.import_template(province), content_type=XLSX_CONTENT_TYPE, headers={
        "Content-Disposition": content_disposition_header(True, filename)})
