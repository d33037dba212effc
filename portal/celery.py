"""Celery application for the portal.

Configuration comes from Django settings (namespace ``CELERY_``). Without ``REDIS_URL`` the
settings make tasks run eagerly, so the embedded default needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
