"""Text-to-speech engines behind one port, chosen by name with automatic fallback."""

from __future__ import annotations

from nobody_common.engines import choose as choose_engine
from nobody_tts.engines.base import TtsEngine


def _pocket() -> TtsEngine:
    from nobody_tts.engines.pocket_engine import PocketEngine

    return PocketEngine()


def _espeak() -> TtsEngine:
    from nobody_tts.engines.espeak_engine import EspeakEngine

    return EspeakEngine()


# Best first: "auto" tries them in this order.
LOADERS = {"pocket": _pocket, "espeak": _espeak}


def choose(requested: str) -> tuple[TtsEngine, list[str]]:
    return choose_engine("text-to-speech", requested, LOADERS)
