"""Text-to-speech engines behind one port, chosen by name with automatic fallback."""

from __future__ import annotations

from nobody_common import log
from nobody_tts.engines.base import EngineUnavailable, TtsEngine

ENGINES = ("pocket", "espeak")


def _load(name: str) -> TtsEngine:
    if name == "pocket":
        from nobody_tts.engines.pocket_engine import PocketEngine

        return PocketEngine()
    if name == "espeak":
        from nobody_tts.engines.espeak_engine import EspeakEngine

        return EspeakEngine()
    raise EngineUnavailable(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")


def choose(requested: str) -> tuple[TtsEngine, list[str]]:
    candidates = ENGINES if requested == "auto" else (requested,)
    fallbacks: list[str] = []
    for name in candidates:
        try:
            engine = _load(name)
        except EngineUnavailable as error:
            fallbacks.append(f"{name}: {error}")
            continue
        if fallbacks:
            log.warn("using fallback text-to-speech engine", engine=engine.name, passed_over=fallbacks)
        return engine, fallbacks
    raise EngineUnavailable("no text-to-speech engine is available: " + "; ".join(fallbacks))
