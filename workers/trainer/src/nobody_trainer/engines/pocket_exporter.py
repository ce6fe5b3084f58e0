"""Pocket TTS voice states, the production trainer: the cleanest stretch of the samples conditions
the model (get_state_for_audio_prompt) and the state is exported as safetensors, which the TTS
worker loads by voice id. Written against the documented pocket_tts API; imported lazily."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from pocket_tts import TTSModel, export_model_state  # ImportError when not installed
import torch

from nobody_common.audio import resample
from nobody_trainer.measure import RATE

STATE = "pocket_voice.safetensors"
# Voice prompts of about ten seconds condition the model well; longer ones only cost time.
PROMPT_SECONDS = 10


def cleanest_segment(audio: np.ndarray, seconds: float) -> np.ndarray:
    """The window with the most even loudness: speech without long pauses or bursts."""
    size = int(seconds * RATE)
    if len(audio) <= size:
        return audio
    hop = RATE // 2
    best, best_score = 0, -np.inf
    for start in range(0, len(audio) - size, hop):
        window = audio[start:start + size]
        frames = window[: len(window) // 160 * 160].reshape(-1, 160)
        energy = np.sqrt((frames ** 2).mean(axis=1)) + 1e-6
        score = float(np.median(energy)) - float(np.std(np.log(energy)))
        if score > best_score:
            best, best_score = start, score
    return audio[best:best + size]


class PocketExporter:
    name = "pocket-tts voice state"

    def __init__(self) -> None:
        self.model = TTSModel.load_model()
        if not getattr(self.model, "has_voice_cloning", False):
            raise ImportError("the voice-cloning weights are not available (accept the model terms on Hugging Face)")
        # Samples are normalized to the model's own rate so the prompt keeps its full bandwidth.
        self.sample_rate = int(self.model.sample_rate)

    def train(self, audio: np.ndarray, output_dir: Path, progress) -> Path:
        progress("analyzing", 10, "choosing the cleanest stretch of the samples")
        prompt = resample(cleanest_segment(audio, PROMPT_SECONDS), RATE, int(self.model.sample_rate))
        progress("fitting", 40, "conditioning the model on the voice")
        state = self.model.get_state_for_audio_prompt(torch.from_numpy(prompt[None, :].copy()))
        progress("writing", 90, "saving the voice state")
        output_dir.mkdir(parents=True, exist_ok=True)
        path = output_dir / STATE
        export_model_state(state, path)
        return path
