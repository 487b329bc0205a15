"""Shared infrastructure tables (no campaign data)."""

from django.db import models


class RateBucket(models.Model):
    """One fixed window of a rate limit kept in the database (apps.core.ratelimit), when Redis is not
    configured. `key` names what is limited (e.g. "code-ip:<hashed address>"), `bucket` is the window's start
    in seconds since the epoch divided by its length."""

    key = models.CharField(max_length=120)
    bucket = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    ends = models.BigIntegerField(db_index=True)  # when the window ends, in seconds since the epoch (pruning)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "bucket"], name="ratebucket_key_bucket")]

    def __str__(self) -> str:
        return f"{self.key}@{self.bucket}: {self.count}"
