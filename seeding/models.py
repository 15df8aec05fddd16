from django.db import models


class Baseline(models.Model):
    """
    The primary keys a table held before ``seed`` first wrote to it, which
    ``purge`` keeps (see seeding.baseline). One row per model, by label.
    """

    model = models.CharField(max_length=255, unique=True)
    #: {"runs": [[first, last], ...]} for whole-number keys, else {"keys": [...]};
    #: {} when the table was empty.
    keys = models.JSONField(default=dict)

    class Meta:
        db_table = "seeding_baseline"

    def __str__(self):
        return self.model
