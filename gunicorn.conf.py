"""Gunicorn settings for TCR (scripts/serve.sh and scripts/run.sh start it with this file).

Every value can be changed through the environment, with the TCR_ prefix the application's settings use:
TCR_HOST, TCR_PORT (or TCR_BIND for anything else, e.g. unix:/run/tcr.sock), TCR_WORKERS, TCR_THREADS,
TCR_WORKER_CLASS, TCR_TIMEOUT, TCR_GRACEFUL_TIMEOUT, TCR_KEEPALIVE, TCR_MAX_REQUESTS, TCR_ACCESS_LOG (a path, "-" for stdout or
"off"), TCR_LOG_LEVEL, TCR_PRELOAD, TCR_FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(f"TCR_{name}")
    return int(value) if value else default


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "app:create_app()"
bind = [os.environ.get("TCR_BIND") or f"{os.environ.get('TCR_HOST', '127.0.0.1')}:{os.environ.get('TCR_PORT', '5000')}"]

# Processes carry the CPU-bound part (templates, JSON, PDF): one per core; threads overlap the waits on
# PostgreSQL and disk. More processes than cores only added context switches under load on a 2-core machine
# (scripts/bench_load.py). Each process holds its own connection pool (SQLAlchemy's 5 + 10 overflow > threads).
workers = _int("WORKERS", max(2, _cores()))
worker_class = os.environ.get("TCR_WORKER_CLASS", "gthread")
threads = _int("THREADS", 4)

# Certificates are signed and exports built inside a request: allow them time, then recycle a stuck worker.
timeout = _int("TIMEOUT", 120)
graceful_timeout = _int("GRACEFUL_TIMEOUT", 30)  # on SIGTERM or HUP, requests under way get this long to finish
keepalive = _int("KEEPALIVE", 5)
max_requests = _int("MAX_REQUESTS", 5000)  # a fresh worker now and then: bounded memory over months
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # heartbeat files off a slow disk

# Load the application once in the master, then fork: faster start, shared memory for catalogues and fonts.
# Safe because creating the application opens no connection and starts no thread; post_fork drops the
# connection pool anyway, so that no worker ever shares a socket with another.
preload_app = os.environ.get("TCR_PRELOAD", "1").lower() not in ("0", "false", "no", "off")

_access_log = os.environ.get("TCR_ACCESS_LOG", "-")
accesslog = None if _access_log.lower() in ("off", "none", "") else _access_log
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("TCR_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("TCR_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "tcr"
control_socket_disable = True  # gunicorn 25+: one fixed path in $HOME per user would collide between instances


def post_fork(server, worker) -> None:
    """Each worker starts with an empty connection pool of its own (connections never cross a fork)."""
    from app.extensions import db

    application = worker.app.wsgi()
    with application.app_context():
        db.engine.dispose(close=False)
