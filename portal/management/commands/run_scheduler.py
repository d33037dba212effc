import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal.scheduling import INTERVAL, scheduled_publish_run


class Command(BaseCommand):
    help = (
        "Publish scheduled pages and records every minute, as Celery beat does in production "
        "(make run starts it next to the development server)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run once and stop.")
        parser.add_argument(
            "--interval", type=float, default=INTERVAL.total_seconds(), help="Seconds between runs."
        )

    def handle(self, *args, once=False, interval=60.0, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            scheduled_publish_run()
            if once or stopping:
                return
            # A long-running process: drop a connection the database closed or that is too old,
            # as Django does at the end of each request.
            close_old_connections()
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stopping:
                time.sleep(min(1.0, interval))
            if stopping:
                return
