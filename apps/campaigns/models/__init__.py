from apps.campaigns.models.notices import *  # noqa: F401,F403
from apps.campaigns.models.programme import *  # noqa: F401,F403
