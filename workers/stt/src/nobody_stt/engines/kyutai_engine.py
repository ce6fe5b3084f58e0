"""Kyutai STT on MLX (Apple silicon), the production engine.

Written against the documented moshi_mlx API (delayed-streams-modeling, stt_from_mic_mlx.py): audio
at 24 kHz in 1920-sample (80 ms) frames is encoded by Mimi (rustymimi) and stepped through LmGen,
which yields one text token per frame. Text lags audio by the model delay, so finish() feeds
silence to flush the last words. The 1B model also predicts end of turn (extra heads).
"""

from __future__ import annotations

import json
import os
import threading

import numpy as np

from nobody_stt.engines.base import EngineUnavailable, InvalidRequest, Result

try:
    import mlx.core as mx
    import mlx.nn as nn
    import rustymimi
    import sentencepiece
    from huggingface_hub import hf_hub_download
    from moshi_mlx import models, utils
except ImportError as error:  # pragma: no cover - not installable on this platform
    raise EngineUnavailable(f"not installed ({error})") from error

RATE = 24000
FRAME = 1920
DEFAULT_REPO = "kyutai/stt-1b-en_fr-mlx"
# stt-1b-en_fr delays text by 0.5 s; flush with a little more silence than that.
FLUSH_SECONDS = 0.6
PAD_TOKENS = (0, 3)


class KyutaiEngine:
    name = "kyutai-mlx"
    sample_rate = RATE

    def __init__(self) -> None:
        repo = os.environ.get("NOBODY_KYUTAI_REPO", DEFAULT_REPO)
        try:
            config_path = hf_hub_download(repo, "config.json")
            with open(config_path) as f:
                raw = json.load(f)
            mimi_weights = hf_hub_download(repo, raw["mimi_name"])
            moshi_weights = hf_hub_download(repo, raw.get("moshi_name", "model.safetensors"))
            tokenizer = hf_hub_download(repo, raw["tokenizer_name"])
        except Exception as error:  # network or cache problems
            raise EngineUnavailable(f"cannot load {repo}: {error}") from error
        self.config = models.LmConfig.from_config_dict(raw)
        self.model = models.Lm(self.config)
        self.model.set_dtype(mx.bfloat16)
        if moshi_weights.endswith(".q4.safetensors"):
            nn.quantize(self.model, bits=4, group_size=32)
        elif moshi_weights.endswith(".q8.safetensors"):
            nn.quantize(self.model, bits=8, group_size=64)
        self.model.load_weights(moshi_weights, strict=True)
        self.text_tokenizer = sentencepiece.SentencePieceProcessor(tokenizer)
        self.other_codebooks = self.config.other_codebooks
        self.mimi_weights = mimi_weights
        self.mimi_codebooks = max(self.config.generated_codebooks, self.config.other_codebooks)
        self.model.warmup()
        self.detail = repo
        # One model instance serves one stream at a time.
        self.lock = threading.Lock()

    def open(
        self, language: str, phrases: list[str], partials: bool = True, speaker_state: bytes = b""
    ) -> "KyutaiSession":
        # Kyutai decodes in one pass as audio arrives either way; partials cost it nothing. It
        # needs no speaker state: its streaming model is trained on open microphones.
        if phrases:
            raise InvalidRequest("kyutai-mlx does not take a phrase list")
        if not self.lock.acquire(timeout=30):
            raise InvalidRequest("the speech-to-text model is busy with another stream")
        return KyutaiSession(self)


class KyutaiSession:
    def __init__(self, engine: KyutaiEngine) -> None:
        self.engine = engine
        self.tokenizer = rustymimi.Tokenizer(engine.mimi_weights, num_codebooks=engine.mimi_codebooks)
        self.gen = models.LmGen(
            model=engine.model,
            max_steps=4096,
            text_sampler=utils.Sampler(top_k=25, temp=0),
            audio_sampler=utils.Sampler(top_k=250, temp=0.8),
            check=False,
        )
        self.pending = np.zeros(0, dtype=np.float32)
        self.text = ""
        self.end_of_turn = 0.0
        self.closed = False

    def _step(self, frame: np.ndarray) -> bool:
        tokens = self.tokenizer.encode_step(frame[None, None, :])
        tokens = mx.array(tokens).transpose(0, 2, 1)[:, :, : self.engine.other_codebooks]
        text_token, extra = self.gen.step_with_extra_heads(tokens[0])
        if extra:
            self.end_of_turn = float(extra[2][0, 0, 0].item())
        token = text_token[0].item()
        if token in PAD_TOKENS:
            return False
        self.text += self.engine.text_tokenizer.id_to_piece(token).replace("\u2581", " ")
        return True

    def accept(self, audio: np.ndarray) -> Result | None:
        self.pending = np.concatenate([self.pending, audio.astype(np.float32)])
        changed = False
        while len(self.pending) >= FRAME:
            frame, self.pending = self.pending[:FRAME], self.pending[FRAME:]
            changed = self._step(frame) or changed
        return Result(self.text.strip(), self.end_of_turn) if changed else None

    def finish(self) -> Result:
        silence = np.zeros(int(RATE * FLUSH_SECONDS) + FRAME, dtype=np.float32)
        self.accept(np.concatenate([self.pending, silence]))
        return Result(self.text.strip(), max(self.end_of_turn, 1.0))

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.engine.lock.release()
