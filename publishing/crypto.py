"""Encryption at rest for social-account credentials (Fernet, with key rotation through MultiFernet)."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS or [_debug_key()]
    return MultiFernet([Fernet(key) for key in keys])


def _debug_key() -> bytes:
    """Only under DEBUG (settings refuse to start otherwise): a key derived from SECRET_KEY."""
    return base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest())


def encrypt(value: dict) -> str:
    return _fernet().encrypt(json.dumps(value).encode()).decode()


def decrypt(token: str) -> dict:
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise ValueError("credentials cannot be decrypted with the configured FIELD_ENCRYPTION_KEY") from None


def rotate(token: str) -> str:
    """Re-encrypt with the first key (after a new key is put first in FIELD_ENCRYPTION_KEY)."""
    return _fernet().rotate(token.encode()).decode()


class EncryptedJSONField(models.TextField):
    """A dict stored as a Fernet token; never readable in the database or a dump."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def to_python(self, value):
        if value is None or isinstance(value, dict):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        return None if value is None else encrypt(value)
