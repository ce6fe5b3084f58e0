"""Trainer engines, one per TTS engine, chosen to match the TTS worker's."""

from __future__ import annotations

from nobody_common.engines import choose as choose_engine


def _pocket():
    from nobody_trainer.engines.pocket_exporter import PocketExporter

    return PocketExporter()


def _espeak():
    from nobody_trainer.engines.espeak_fitter import EspeakFitter

    return EspeakFitter()


LOADERS = {"pocket": _pocket, "espeak": _espeak}


def choose(requested: str):
    return choose_engine("trainer", requested, LOADERS)
