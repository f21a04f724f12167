"""A text field with a limit: nobody stores a 30 MB pitch that then makes a 31 MB page.

PostgreSQL's `text` stays (no migration of the column, no truncation of what exists); the limit is enforced where
people write, in model validation (`full_clean`, the admin, ModelForms) and in every form built from the field.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

POST_TEXT_MAX = 64_000  # the longest a network takes (Facebook: 63,206 characters), per network or master text
ALT_TEXT_MAX = 1500  # Mastodon's; X takes 1,000 (its validation says so)
COMMENT_MAX = 5000
REASON_MAX = 2000
REPLY_MAX = 10_000  # an answer in the inbox


class BoundedTextField(models.TextField):
    """`TextField(max_length=…)` whose limit is also a model validator (Django's own only reaches forms)."""

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))


def max_length_of(model, field: str) -> int:
    """The limit of a model's field, for the plain forms that write to it (one number, declared on the model)."""
    return model._meta.get_field(field).max_length
