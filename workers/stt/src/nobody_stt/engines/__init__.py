"""Speech-to-text engines behind one port, chosen by name with automatic fallback."""

from __future__ import annotations

from nobody_common import log
from nobody_stt.engines.base import EngineUnavailable, SttEngine

# Best first: "auto" tries them in this order.
ENGINES = ("kyutai", "pocketsphinx")


def _load(name: str) -> SttEngine:
    if name == "kyutai":
        from nobody_stt.engines.kyutai_engine import KyutaiEngine

        return KyutaiEngine()
    if name == "pocketsphinx":
        from nobody_stt.engines.pocketsphinx_engine import PocketsphinxEngine

        return PocketsphinxEngine()
    raise EngineUnavailable(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")


def choose(requested: str) -> tuple[SttEngine, list[str]]:
    """Returns the engine and, for each engine passed over, why."""
    candidates = ENGINES if requested == "auto" else (requested,)
    fallbacks: list[str] = []
    for name in candidates:
        try:
            engine = _load(name)
        except EngineUnavailable as error:
            fallbacks.append(f"{name}: {error}")
            continue
        if fallbacks:
            log.warn("using fallback speech-to-text engine", engine=engine.name, passed_over=fallbacks)
        return engine, fallbacks
    raise EngineUnavailable("no speech-to-text engine is available: " + "; ".join(fallbacks))
