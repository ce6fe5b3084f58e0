"""Structured logging to stderr: one JSON object per line, which the core's supervisor forwards."""

import json
import sys
import threading
import time

_lock = threading.Lock()


def log(level: str, message: str, **fields: object) -> None:
    record = {"ts": round(time.time() * 1000), "level": level, "msg": message, **fields}
    line = json.dumps(record, default=str)
    with _lock:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def info(message: str, **fields: object) -> None:
    log("info", message, **fields)


def warn(message: str, **fields: object) -> None:
    log("warn", message, **fields)


def error(message: str, **fields: object) -> None:
    log("error", message, **fields)
