"""Speech-to-text engines behind one port, chosen by name with automatic fallback."""

from __future__ import annotations

from nobody_common.engines import choose as choose_engine
from nobody_stt.engines.base import SttEngine


def _kyutai() -> SttEngine:
    from nobody_stt.engines.kyutai_engine import KyutaiEngine

    return KyutaiEngine()


def _pocketsphinx() -> SttEngine:
    from nobody_stt.engines.pocketsphinx_engine import PocketsphinxEngine

    return PocketsphinxEngine()


# Best first: "auto" tries them in this order.
LOADERS = {"kyutai": _kyutai, "pocketsphinx": _pocketsphinx}


def choose(requested: str) -> tuple[SttEngine, list[str]]:
    return choose_engine("speech-to-text", requested, LOADERS)
