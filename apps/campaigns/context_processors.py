from apps.campaigns.models import Campaign


def current_campaign(request):
    """The newest campaign, for links that belong to one (the enterprise registry). Lazy: only pages
    that use it pay the query; the public scope sees none."""
    if getattr(request, "acting_org", None) is None:
        return {}

    def newest():
        return Campaign.objects.order_by("-year").first()

    return {"current_campaign": newest}
