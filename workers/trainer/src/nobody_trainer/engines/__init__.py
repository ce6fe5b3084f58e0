"""Trainer engines, one per TTS engine, chosen to match the TTS worker's."""
