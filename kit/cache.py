"""The Redis cache fails open: when Redis is down or hangs, the site works without it.

The cache backend is django-redis with ``IGNORE_EXCEPTIONS``: a read that cannot reach Redis
is a miss and a write is dropped, for every user of the cache, Wagtail's own included
(``Site.get_site_root_paths()``, reached through every ``pageurl`` and ``.url``). Short socket
timeouts bound what one command costs when Redis accepts connections but does not answer (a
stopped or overloaded server). Because one request asks the cache several times, the client
here adds a circuit breaker: after a command fails to reach Redis, commands in this process
fail at once for ``RETRY_AFTER`` seconds instead of each waiting for its own timeout, and then
one command tries Redis again. Recovery needs no restart.

Only connection errors and timeouts count as Redis being unavailable and open the circuit;
another error Redis answers with (out of memory, say) is ignored for that command only.
"""

import logging
import threading

import pybreaker
import redis

logger = logging.getLogger(__name__)

# Seconds the cache is left alone after Redis failed to answer, before a command tries again.
RETRY_AFTER = 5
# Seconds to wait for a connection and for an answer. Redis answers in well under a
# millisecond on the same network; anything slower is an outage, not a busy server.
CONNECT_TIMEOUT = 0.5
SOCKET_TIMEOUT = 0.5


class CacheUnavailable(redis.ConnectionError):
    """Raised instead of asking Redis while the circuit is open (Redis failed just now)."""


def _not_an_outage(error):
    return not isinstance(error, redis.ConnectionError | redis.TimeoutError)


class _LogStateChanges(pybreaker.CircuitBreakerListener):
    """One log line when the cache is given up and one when it answers again, instead of one
    per skipped command."""

    def state_change(self, cb, old_state, new_state):
        if new_state.name == pybreaker.STATE_OPEN:
            logger.warning("Redis cache unavailable: working without it, trying again in %s s", RETRY_AFTER)
        elif new_state.name == pybreaker.STATE_CLOSED and old_state.name != pybreaker.STATE_CLOSED:
            logger.warning("Redis cache answers again")


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(connection_pool):
    """The circuit breaker of the Redis server ``connection_pool`` connects to. One per server
    and process: every thread of a gunicorn worker shares what it learned about that server,
    and a server that is down does not stop the use of another."""
    kwargs = connection_pool.connection_kwargs
    server = (kwargs.get("host"), kwargs.get("port"), kwargs.get("path"))
    with _breakers_lock:
        if server not in _breakers:
            _breakers[server] = pybreaker.CircuitBreaker(
                fail_max=1,
                reset_timeout=RETRY_AFTER,
                exclude=[_not_an_outage],
                listeners=[_LogStateChanges()],
                throw_new_error_on_trip=False,
                name=f"redis-cache {server}",
            )
        return _breakers[server]


def reset():
    """Forget every failure seen so far (for tests)."""
    with _breakers_lock:
        _breakers.clear()


class FailFastRedis(redis.Redis):
    """The Redis client of the cache (django-redis ``REDIS_CLIENT_CLASS``): every command goes
    through the circuit breaker of its server."""

    def execute_command(self, *args, **options):
        try:
            return breaker_for(self.connection_pool).call(super().execute_command, *args, **options)
        except pybreaker.CircuitBreakerError as error:
            raise CacheUnavailable(str(error)) from None


class SkipWhileUnavailable(logging.Filter):
    """django-redis logs every exception it ignores. Keep the ones that met Redis (the
    failure that opened the circuit, a failed retry) and drop the commands the open circuit
    skipped, which would otherwise log a traceback for each cache read during an outage."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        while error is not None:
            if isinstance(error, CacheUnavailable):
                return False
            error = error.__cause__
        return True


def cache_settings(location, *, key_prefix):
    """The ``CACHES["default"]`` entry for Redis at ``location``."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "TIMEOUT": 300,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": CONNECT_TIMEOUT,
            "SOCKET_TIMEOUT": SOCKET_TIMEOUT,
            "REDIS_CLIENT_CLASS": "kit.cache.FailFastRedis",
        },
    }
