"""Tasks only the fault tests' worker knows (``celery worker --include``).

``faults.hold`` counts its starts and finishes in Redis (cache database, under the token), so
that a test sees a task start, be killed and be delivered again.
"""

import time

from celery import shared_task
from django.core.cache import cache


def _count(name):
    cache.add(name, 0, 3600)
    cache.incr(name)


@shared_task(name="faults.hold", acks_late=True)
def hold(token, seconds=0):
    """Start, wait ``seconds``, finish."""
    _count(f"faults:started:{token}")
    time.sleep(seconds)
    _count(f"faults:finished:{token}")
