from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def campaign_home(request):
    return render(request, "campaigns/home.html", {})
