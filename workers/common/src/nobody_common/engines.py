"""Engine selection shared by the workers: the requested engine, or for "auto" the first that
loads, best first; every engine passed over is reported with why."""

from __future__ import annotations

from typing import Callable, Mapping, TypeVar

from nobody_common import log

T = TypeVar("T")


class EngineUnavailable(Exception):
    """The engine is not installed or cannot load (missing weights, wrong platform)."""


def choose(kind: str, requested: str, loaders: Mapping[str, Callable[[], T]]) -> tuple[T, list[str]]:
    """Loaders are tried in order (best first) for "auto"; raises EngineUnavailable if none loads."""
    if requested != "auto" and requested not in loaders:
        raise EngineUnavailable(f"unknown {kind} engine {requested!r} (known: {', '.join(loaders)})")
    candidates = list(loaders) if requested == "auto" else [requested]
    fallbacks: list[str] = []
    for name in candidates:
        try:
            engine = loaders[name]()
        except (EngineUnavailable, ImportError) as error:
            fallbacks.append(f"{name}: {error}")
            continue
        if fallbacks:
            log.warn(f"using fallback {kind} engine", engine=name, passed_over=fallbacks)
        return engine, fallbacks
    raise EngineUnavailable(f"no {kind} engine is available: " + "; ".join(fallbacks))
