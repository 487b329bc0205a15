"""Pages of the ledger (R-401, R-402): the centre's view of every project's spending and the subcontracting-risk
list; a project's ledger (figures by line and month, the entries); its budget and adjustments; an entry with its
vouchers, its reversal and the centre's check; the Excel statement. Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.approvals.selectors import latest_of
from apps.campaigns.selectors import programme_of
from apps.core.errors import NotFound, ensure
from apps.core.files import stored_file_response
from apps.core.forms import form_action
from apps.finance import figures, permissions, services
from apps.finance.approvals import KIND, thread
from apps.finance.forms import BudgetForm, ClearForm, ExpenseForm, ReasonForm
from apps.finance.lines import LINES, label_of
from apps.finance.models import Budget, Expense, Voucher
from apps.finance.selectors import ledgers_of
from apps.finance.statement import write_statement
from apps.orgs.models import Org
from apps.orgs.permissions import works_at

PAGE_SIZE = 30


@login_required
def home(request):
    """A province goes to its own ledger; the centre sees every project's spending against its budget and the
    entries waiting on its subcontracting-risk list."""
    org = request.acting_org
    ensure(org is not None and org.kind in (Org.Kind.PROVINCE, Org.Kind.CENTER), NotFound)
    if org.kind == Org.Kind.PROVINCE:
        programme = programme_of(org)
        ensure(programme is not None and programme.org_id == org.pk, NotFound)
        return redirect("finance:ledger", programme.pk)
    ensure(works_at(request.user, org), NotFound)
    programmes = ledgers_of(request.user, org)
    runs = figures.executions(programmes)
    risks = (Expense.objects.filter(programme__in=programmes, at_risk=True, cleared_at__isnull=True)
             .select_related("programme__org").order_by("spent_on", "id"))
    return render(request, "finance/home.html", {
        "rows": [(p, runs[p.pk]) for p in programmes], "risks": risks,
        "total_budget": sum(p.budget for p in programmes),
        "total_spent": sum(runs[p.pk].spent for p in programmes)})


@login_required
def ledger(request, programme_id):
    programme = permissions.access_programme(request.user, programme_id)
    execution = figures.execution(programme)
    rows = Expense.objects.filter(programme=programme).select_related("reverses").order_by("-spent_on", "-number")
    risk = request.GET.get("risk") == "1"
    line = request.GET.get("line", "")
    if risk:
        rows = rows.filter(at_risk=True)
    if line in dict(LINES):
        rows = rows.filter(line=line)
    else:
        line = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(x for x in ("risk=1" if risk else "", f"line={line}" if line else "") if x)
    return render(request, "finance/ledger.html", {
        "programme": programme, "execution": execution, "page": page, "risk": risk, "line": line,
        "line_label": label_of(line) if line else "", "query_prefix": f"{query}&" if query else "",
        "can_keep": permissions.can_keep_ledger(request.user, programme),
        "pending": Budget.objects.filter(programme=programme, status=Budget.Status.PENDING).first()})


@login_required
def budget(request, programme_id):
    """The budget in force, its versions, and the form for the budget or an adjustment."""
    programme = permissions.access_programme(request.user, programme_id)
    current = figures.in_force(programme.pk)
    pending = Budget.objects.filter(programme=programme, status=Budget.Status.PENDING).first()
    can_submit = permissions.can_keep_ledger(request.user, programme) and pending is None
    spent = figures.spent_by_line(programme.pk)
    form = BudgetForm(request.POST or None, adjustment=current is not None, spent=spent,
                      initial=BudgetForm.initial_of(current)) if can_submit else None
    if request.method == "POST":
        ensure(form is not None, NotFound)
        done = form_action(request, form, lambda: services.budget_submit(
            programme=programme, by=request.user, amounts=form.amounts(), reason=form.cleaned_data.get("reason", "")),
            success=_("已报送中心审核，批复后按新预算记账"), then=reverse("finance:budget", args=[programme.pk]))
        if done is not None:
            return done
    versions = list(Budget.objects.filter(programme=programme).prefetch_related("lines").order_by("-number"))
    return render(request, "finance/budget.html", {
        "programme": programme, "current": current, "pending": pending, "versions": versions, "form": form,
        "approval": latest_of(KIND, thread(programme.pk))})


@login_required
def expense_new(request, programme_id):
    programme = permissions.access_programme(request.user, programme_id)
    ensure(permissions.can_keep_ledger(request.user, programme), NotFound)
    current = figures.in_force(programme.pk)
    lines = [(line.code, line.label) for line in figures.execution(programme).lines if line.planned] \
        if current else []
    form = ExpenseForm(request.POST or None, request.FILES or None, lines=lines)
    done = form_action(request, form, lambda: services.expense_add(programme=programme, by=request.user,
                                                                   **form.values()),
                       success=lambda e: _("已记账，凭证号%(n)d") % {"n": e.number},
                       then=lambda e: reverse("finance:expense_detail", args=[e.pk]))
    if done is not None:
        return done
    return render(request, "finance/expense_form.html", {"programme": programme, "form": form,
                                                         "no_budget": current is None})


def _detail(request, expense, reverse_form=None, clear_form=None, status=200):
    programme = expense.programme
    return render(request, "finance/expense_detail.html", {
        "expense": expense, "programme": programme, "vouchers": Voucher.objects.filter(expense=expense),
        "reversal": Expense.objects.filter(reverses=expense).first(),
        "can_reverse": not expense.is_reversal and permissions.can_keep_ledger(request.user, programme)
        and not Expense.objects.filter(reverses=expense).exists(),
        "can_clear": expense.risk_open and permissions.can_clear_risk(request.user, programme),
        "reverse_form": reverse_form or ReasonForm(), "clear_form": clear_form or ClearForm()}, status=status)


@login_required
def expense_detail(request, pk):
    return _detail(request, permissions.access_expense(request.user, pk))


@login_required
@require_POST
def expense_reverse(request, pk):
    """Reverse with a reason; a refusal shows at its field on the entry's page, what was typed kept."""
    expense = permissions.access_expense(request.user, pk)
    ensure(permissions.can_keep_ledger(request.user, expense.programme), NotFound)
    form = ReasonForm(request.POST)
    done = form_action(request, form, lambda: services.expense_reverse(
        expense=expense, by=request.user, reason=form.cleaned_data["reason"]),
        success=lambda e: _("已冲销，冲销分录凭证号%(n)d") % {"n": e.number},
        then=reverse("finance:expense_detail", args=[expense.pk]))
    return done or _detail(request, expense, reverse_form=form, status=400)


@login_required
@require_POST
def risk_clear(request, pk):
    expense = permissions.access_expense(request.user, pk)
    ensure(permissions.can_clear_risk(request.user, expense.programme), NotFound)
    form = ClearForm(request.POST)
    done = form_action(request, form, lambda: services.risk_clear(expense=expense, by=request.user,
                                                                  note=form.cleaned_data["note"]),
                       success=_("已核实，移出关注清单"), then=reverse("finance:expense_detail", args=[expense.pk]))
    return done or _detail(request, expense, clear_form=form, status=400)


@login_required
def voucher(request, pk):
    found = permissions.access_voucher(request.user, pk)
    shown = found.content_type in ("image/jpeg", "image/png", "application/pdf")
    return stored_file_response(found.file, content_type=found.content_type, as_attachment=not shown,
                                filename=found.name)


@login_required
def statement(request, programme_id):
    programme = permissions.access_programme(request.user, programme_id)
    response = HttpResponse(write_statement(programme), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    name = f"ledger-{programme.org.code}-{programme.campaign.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

