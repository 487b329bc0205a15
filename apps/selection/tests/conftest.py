from apps.review.tests.conftest import campaign, city_round  # noqa: F401 (fixtures)
from apps.voting.tests.conftest import _sms_memory, entries, poll, voting_round  # noqa: F401 (fixtures)
