from apps.campaigns.models.programme import *  # noqa: F401,F403
