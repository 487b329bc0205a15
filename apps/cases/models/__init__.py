from apps.cases.models.attachment import *  # noqa: F401,F403
from apps.cases.models.case import *  # noqa: F401,F403
from apps.cases.models.invite import *  # noqa: F401,F403
