"""gunicorn for the web container (docker-compose.yml, Dockerfile). Sizing: docs/deployment.md.

nginx (deploy/nginx.conf) sits in front and buffers whole requests and responses, so a slow
client never holds a gunicorn thread: a thread is busy only while Django computes the answer.
The work is mostly CPU in Python (templates, ORM) with waits on PostgreSQL and Redis in
between, so threads overlap those waits while one process per core keeps the cores busy.
"""

import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Processes: one per core of the host is the starting point (WEB_CONCURRENCY, the variable
# gunicorn itself reads). Threads per process: requests one process works on at once.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))

# A process that has not reported for this long is killed and replaced; the slowest page
# takes well under a second, so 30 s only catches a process that is stuck.
timeout = 30
graceful_timeout = 30
# Idle connections from nginx are kept this long; longer than nginx keeps them (60 s) so
# that nginx, not gunicorn, closes an idle one and never sends on a closing connection.
keepalive = 75
# Processes are replaced after this many requests (spread out by the jitter), which bounds
# what a slow leak can grow to.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file of each process on memory, not on the container's overlay file system,
# whose stalls would otherwise look like a stuck process.
SHARED_MEMORY = "/dev/shm"  # noqa: S108 (gunicorn's own heartbeat files, one per process)
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None

accesslog = "-"
# Only nginx reaches the web containers; it sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")


def post_worker_init(worker):
    """Before a process takes requests (at start and after each ``max_requests`` replacement):
    read the Dutch word list the search's analyzer needs (about 0.3 s), so that no visitor's
    search waits for it."""
    from search.words import dutch_words

    dutch_words()
