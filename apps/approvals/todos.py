"""Home-page to-dos of approvals: what waits for the acting org's decision, and returned versions to resubmit."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.approvals.kinds import kind_of, kinds
from apps.approvals.models import ApprovalRequest
from apps.approvals.selectors import waiting_for
from apps.core.todos import Todo
from apps.orgs.permissions import is_member_of

SHOWN = 10


def approval_todos(user, org):
    if org is None or not is_member_of(user, org):
        return []
    today = timezone.localdate()
    items = []
    for request in waiting_for(org).exclude(submitted_by=user)[:SHOWN]:  # nobody decides their own submission
        spec = kind_of(request.kind)
        items.append(Todo(text=_("%(org)s报送的%(title)s待审核") % {"org": request.submitter.name, "title": request},
                          url=reverse("approvals:detail", args=[request.pk]), rule=spec.rule,
                          due=request.decide_by, urgent=today >= request.decide_by))
    # Returned versions not resubmitted since (no later version of the same thing), in one query.
    later = ApprovalRequest.plain.filter(kind=OuterRef("kind"), thread=OuterRef("thread"),
                                         version__gt=OuterRef("version"))
    final = [key for key, spec in kinds().items() if spec.final_return]  # nothing to resubmit after their return
    returned = (ApprovalRequest.objects.filter(submitter=org, state=ApprovalRequest.State.RETURNED)
                .exclude(Exists(later)).exclude(kind__in=final).order_by("-decided_at")[:SHOWN])
    for request in returned:
        spec = kind_of(request.kind)
        items.append(Todo(text=_("%(title)s被退回：%(comment)s") % {"title": request, "comment": request.comment},
                          url=spec.url(spec.model.plain.get(pk=request.object_id)), rule=spec.rule,
                          due=request.resubmit_by, urgent=True))
    return items
