"""The ledger's indicators, one function per rule, for every project (the provinces' and the brand project):

- R-401: a budget by line approved by the centre and in force (the separate ledger), with the execution rate; due
  by the rulebook's mobilisation deadline. Spending within each line is enforced on entry, so it cannot fail here.
- R-402: no subcontracting: the project lead and a dedicated team are named, and no 委托业务费 entry is left on the
  centre's watch list unchecked. Due at the end of the programme's period.
Registered in FinanceConfig.ready."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.campaigns.indicators import Evidence, Indicator, Measuring, register
from apps.campaigns.models import Programme
from apps.finance import figures
from apps.finance.models import Budget, Expense

BOTH = (Programme.Kind.PROVINCE, Programme.Kind.BRAND)


def ledger(m: Measuring) -> Indicator:
    """R-401: the budget in force and the execution rate against the programme's budget."""
    execution = figures.execution(m.programme)
    budget = execution.budget
    notes = []
    if budget is None:
        waiting = Budget.plain.filter(programme=m.programme, status=Budget.Status.PENDING).exists()
        notes.append(_("预算待中心批复") if waiting else _("尚未报送项目预算"))
    rate = execution.rate
    value_text = (_("预算已批复（第%(n)d版），已支出%(spent)s元，执行率%(rate)s%%")
                  % {"n": budget.number, "spent": f"{execution.spent:,.2f}", "rate": rate if rate is not None else 0}
                  if budget else _("预算未批复"))
    deadline = m.values["mobilisation_deadline"]
    return Indicator(
        rule="R-401", title=_("项目预算和专账管理"), target=m.programme.budget, value=execution.spent,
        target_text=_("经费%(budget)s元，按经济分类科目编制预算，经中心批复后专账核算") % {
            "budget": f"{m.programme.budget:,.2f}"},
        value_text=value_text, status=m.status(budget is not None, deadline), deadline=deadline,
        evidence=(Evidence(_("项目专账"), reverse("finance:ledger", args=[m.programme.pk])),
                  Evidence(_("项目预算"), reverse("finance:budget", args=[m.programme.pk]))),
        notes=tuple(notes))


register("R-401", ledger, kinds=BOTH)


def no_subcontracting(m: Measuring) -> Indicator:
    """R-402: a named lead and team, and every watched 委托业务费 entry checked by the centre."""
    programme = m.programme
    open_risks = Expense.plain.filter(programme=programme, at_risk=True, cleared_at__isnull=True).count()
    notes = []
    if not programme.project_lead:
        notes.append(_("未明确项目负责人"))
    if not programme.team:
        notes.append(_("未明确专项工作团队"))
    if open_risks:
        notes.append(_("%(n)d笔委托业务费待中心核实") % {"n": open_risks})
    met = bool(programme.project_lead and programme.team) and not open_risks
    return Indicator(
        rule="R-402", title=_("不得转包、分包"), target=0, value=open_risks,
        target_text=_("明确项目负责人和专项团队，委托业务经中心核实不属于转包、分包"),
        value_text=_("待核实的委托业务%(n)d笔") % {"n": open_risks},
        status=m.status(met, programme.period_end), deadline=programme.period_end,
        evidence=(Evidence(_("项目专账"), reverse("finance:ledger", args=[programme.pk]) + "?risk=1"),),
        notes=tuple(notes))


register("R-402", no_subcontracting, kinds=BOTH)
