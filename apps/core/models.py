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


class SpentChallenge(models.Model):
    """A captcha that was answered (apps.core.captcha): its nonce may not be answered again. Challenges
    themselves are not stored; these rows are pruned once their keys have expired."""

    nonce = models.CharField(max_length=32, primary_key=True)
    spent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.nonce


class OneTimeCode(models.Model):
    """A code sent by SMS to prove that a person holds a phone (apps.core.otp), e.g. before an invitation may
    set the first password of the account of that number. Only keyed hashes are kept: of the code, and of the
    phone for the per-phone limits."""

    purpose = models.CharField(max_length=40)
    subject = models.CharField(max_length=64)  # what the code unlocks, e.g. the invitation's id
    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "subject", "-created_at"], name="otp_subject_time"),
                   models.Index(fields=["phone_hash", "-created_at"], name="otp_phone_time")]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.subject}"
