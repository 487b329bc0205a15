"""Views every deployment needs, whatever the campaign."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import captcha


@require_GET
@never_cache
def healthz(request):
    """For the load balancer and for bench/vote_load's baseline: the app answers, nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def captcha_image(request, key):
    """The picture of a captcha (apps.core.captcha); an unknown or expired key is a 404."""
    png = captcha.image(key)
    if png is None:
        raise Http404()
    return HttpResponse(png, content_type="image/png")
