"""Celery application for the portal.

Configuration comes from Django settings (namespace ``CELERY_``). Without ``REDIS_URL`` the
settings make tasks run eagerly, so the embedded default needs no broker. Broker connections
are ``portal.worker.BrokerConnection`` (a worker survives Redis dropping while it holds a
task), and a worker writes a heartbeat that /healthz reads (``portal/worker.py``).
"""

import os

from celery import Celery

from .worker import Heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal", amqp="portal.worker:PortalAMQP")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.steps["consumer"].add(Heartbeat)
app.autodiscover_tasks()
