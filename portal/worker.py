"""What the Celery worker adds to Celery: a heartbeat for /healthz, and surviving a broker that
drops while a task waits.

**Heartbeat.** While a worker is connected to the broker, it writes the time to the cache
every ``WORKER_HEARTBEAT_INTERVAL`` seconds under ``HEARTBEAT_KEY``, which expires after three
intervals. ``/healthz`` reports a worker as answering while the key is there. The step belongs
to the consumer, so it stops when the connection to the broker is lost and starts again with
the new one.

**Broker drops.** When the connection to Redis breaks, Celery's consumer calls
``Connection.collect()``, which detaches the transport, and then ``Connection.close()``.
kombu's ``collect()`` leaves the default channel in place, so ``close()`` closes it a second
time; with a task received but not yet acknowledged (a countdown, as the cache warm-up has),
closing tries to put it back through the detached transport and the worker dies with
``AttributeError: 'NoneType' object has no attribute 'hostname'`` (celery 5.7.0, kombu
5.7.0, the newest releases). ``BrokerConnection`` forgets the channel together with the
transport, so the consumer reconnects as it does without a waiting task. A task it held is
then delivered again by Redis after the visibility timeout, if Redis kept it.
"""

import logging

from celery import bootsteps
from celery.app.amqp import AMQP
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from kombu import Connection

logger = logging.getLogger(__name__)

HEARTBEAT_KEY = "portal:worker-heartbeat"


class BrokerConnection(Connection):
    """kombu's connection, whose ``collect()`` also forgets the channel of the transport it
    lets go (see the module docstring)."""

    def collect(self, socket_timeout=None):
        try:
            super().collect(socket_timeout)
        finally:
            self._default_channel = None


class PortalAMQP(AMQP):
    """Celery's messaging set-up with ``BrokerConnection`` for every broker connection."""

    Connection = BrokerConnection


def heartbeat_interval():
    return settings.WORKER_HEARTBEAT_INTERVAL


def record_heartbeat():
    """Note that a worker is connected and its event loop runs. A cache that is down drops
    the write (the health check then cannot tell, and says so)."""
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), heartbeat_interval() * 3)


class Heartbeat(bootsteps.StartStopStep):
    """A consumer step: writes the heartbeat while the worker is connected to the broker."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_entry = None

    def start(self, parent):
        record_heartbeat()
        self.timer_entry = parent.timer.call_repeatedly(heartbeat_interval(), record_heartbeat)

    def stop(self, parent):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    shutdown = stop
