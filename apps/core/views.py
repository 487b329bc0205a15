"""Views every deployment needs, whatever the campaign."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request):
    """For the load balancer and for bench/vote_load's baseline: the app answers, nothing else."""
    return HttpResponse("ok", content_type="text/plain")
