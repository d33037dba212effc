from django.db import models


class Tally(models.Model):
    """How many public records count towards one number a public page shows (``tallies.py``):
    ``name`` says what is counted by what ("finding:themes", "cell:countries"), ``key`` and
    ``column`` the ids it is counted for, ``bucket`` the part of it a page may filter on
    (strength, lesson, type of study)."""

    name = models.CharField(max_length=40)
    key = models.IntegerField()
    column = models.IntegerField(default=0)
    bucket = models.CharField(max_length=40, default="", blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "key", "column", "bucket"], name="tally_unique"),
        ]

    def __str__(self):
        return f"{self.name} {self.key}/{self.column} {self.bucket}: {self.n}"


class TallySource(models.Model):
    """What one study (with its findings) or one research question adds to the tallies now,
    as [[name, key, column, bucket, n], ...]: what a change subtracts before it adds anew."""

    unit = models.CharField(max_length=20)
    unit_id = models.IntegerField()
    rows = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "unit_id"], name="tally_source_unique")]

    def __str__(self):
        return f"{self.unit} {self.unit_id}"
