"""espeak-ng: formant synthesis, offline, first audio in ~20 ms. It streams a WAV to stdout as it
speaks, so audio is forwarded while the rest is still being synthesized.

A trained voice is a speaker profile (espeak_profile.json, written by the trainer): the language
voice, the intonation (a variant's base and top pitch, and the variant whose formants it keeps) and
the rate that bring espeak-ng close to the speaker's measured F0, F0 spread and tempo. Profiles
from before intonation was fitted hold a voice and a -p pitch instead, and still speak.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from nobody_common import log
from nobody_common.espeak_voice import Intonation, VariantFolder
from nobody_tts.engines.base import EngineUnavailable, VoiceNotFound

PROFILE = "espeak_profile.json"
# 40 ms of 16-bit audio at 22050 Hz: small enough for a quick first chunk. After it, whatever
# espeak-ng has written is taken at once (up to 64 KiB): it speaks far faster than real time, and
# reading it 40 ms at a time made a long text thousands of reads and resampler calls.
FIRST_READ_BYTES = 1764
READ_BYTES = 64 * 1024
DEFAULT_WPM = 175


@dataclass(frozen=True)
class EspeakVoice:
    voice: str = "en-us"
    pitch: int = 50  # espeak-ng -p, 0-99
    wpm: int = DEFAULT_WPM
    intonation: Intonation | None = None


def _version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=5)
    return out.stdout.split(" Data at")[0].strip()


class EspeakEngine:
    name = "espeak-ng"
    sample_rate = 22050

    def __init__(self) -> None:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise EngineUnavailable("espeak-ng is not on PATH (brew install espeak-ng / apt install espeak-ng)")
        self.binary = binary
        self.detail = _version(binary)
        try:
            self.variants: VariantFolder | None = VariantFolder(binary)
        except (OSError, RuntimeError, subprocess.SubprocessError) as error:
            # Cloned voices then keep their pitch and rate but lose their fitted pitch range.
            log.warn("espeak-ng variants are unavailable; fitted intonation is ignored", reason=str(error))
            self.variants = None

    def load_voice(self, voice_dir: Path) -> EspeakVoice:
        path = voice_dir / PROFILE
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError as error:
            raise VoiceNotFound(f"voice {voice_dir.name} has no espeak-ng profile; train it first") from error
        except (OSError, ValueError) as error:
            raise VoiceNotFound(f"voice {voice_dir.name} has a damaged profile: {error}") from error
        intonation = None
        shape = data.get("intonation")
        if isinstance(shape, dict):
            try:
                intonation = Intonation(int(shape["base"]), int(shape["top"]), str(shape.get("like", ""))).clamped()
            except (KeyError, TypeError, ValueError) as error:
                raise VoiceNotFound(f"voice {voice_dir.name} has a damaged profile: {error}") from error
        return EspeakVoice(
            intonation=intonation,
            voice=str(data.get("voice", "en-us")),
            pitch=int(np.clip(data.get("pitch", 50), 0, 99)),
            wpm=int(np.clip(data.get("wpm", DEFAULT_WPM), 80, 450)),
        )

    def synthesize(
        self, text: str, voice: EspeakVoice | None, speed: float, cancelled: threading.Event
    ) -> Iterator[np.ndarray]:
        v = voice or EspeakVoice()
        wpm = int(np.clip(v.wpm * (speed or 1.0), 80, 450))
        intonation = v.intonation if self.variants is not None else None
        voice_args = self.variants.args(v.voice, intonation) if self.variants is not None else ["-v", v.voice]
        args = [self.binary, "--stdout", *voice_args, "-p", str(v.pitch), "-s", str(wpm)]
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            # Text goes through stdin, never the command line, so no text can act as an option.
            proc.stdin.write(text.encode("utf-8"))
            proc.stdin.close()
            header = self._read_exactly(proc, 44)
            if len(header) < 44 or header[:4] != b"RIFF":
                raise RuntimeError(f"espeak-ng produced no audio: {proc.stderr.read().decode(errors='replace')}")
            rate = struct.unpack_from("<I", header, 24)[0]
            if rate != self.sample_rate:
                raise RuntimeError(f"espeak-ng speaks at {rate} Hz, expected {self.sample_rate}")
            carry = b""
            size = FIRST_READ_BYTES
            while not cancelled.is_set():
                block = proc.stdout.read1(size)
                size = READ_BYTES
                if not block:
                    break
                block = carry + block
                whole = len(block) - len(block) % 2
                carry = block[whole:]
                if whole:
                    yield np.frombuffer(block[:whole], dtype="<i2").astype(np.float32) / 32768.0
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdout, proc.stderr):
                stream.close()

    @staticmethod
    def _read_exactly(proc: subprocess.Popen, size: int) -> bytes:
        data = b""
        while len(data) < size:
            block = proc.stdout.read(size - len(data))
            if not block:
                break
            data += block
        return data
