"""Decodes an uploaded sample of any common format to mono float32, and writes the normalized copy
the engine trains on. WAV, FLAC, Ogg (Vorbis and Opus) and MP3 are decoded in-process by libsndfile
(python3-soundfile); M4A and WebM, and anything libsndfile refuses, go through ffmpeg. The core
never decodes or resamples audio itself."""

from __future__ import annotations

import shutil
import subprocess
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from nobody_common.audio import resample, to_s16le
from nobody_common.files import write_atomically

try:
    import soundfile
except ImportError:  # pragma: no cover - depends on the machine; ffmpeg then decodes everything
    soundfile = None

# What each container needs, best tool first. Python's wave module is the last resort for WAV.
DECODERS = {
    "wav": ("soundfile", "ffmpeg", "python"),
    "flac": ("soundfile", "ffmpeg"),
    "ogg": ("soundfile", "ffmpeg"),
    "mp3": ("soundfile", "ffmpeg"),
    "m4a": ("ffmpeg",),
    "webm": ("ffmpeg",),
}
# Long enough for an hour of audio on a slow machine; a hung decoder must not hang the upload.
DECODE_TIMEOUT_S = 120


class DecodeError(ValueError):
    """The file is corrupt, or nothing on this machine decodes its format."""


@dataclass
class Decoded:
    audio: np.ndarray  # mono float32 at `rate`
    rate: int
    channels: int


# Decoding streams in blocks of this many frames, so memory does not grow with the duration.
BLOCK_FRAMES = 1 << 16
# ffmpeg's demuxer for each container, named explicitly: probing would let a file that only
# starts like MP3 (an ID3 tag, then an HLS playlist) be read as a playlist of other local files.
FFMPEG_DEMUXERS = {"wav": "wav", "flac": "flac", "ogg": "ogg", "mp3": "mp3", "m4a": "mov", "webm": "matroska"}


@dataclass
class Stream:
    """A decoder's facts and its mono float32 blocks, read one at a time."""

    rate: int
    channels: int
    blocks: Iterator[np.ndarray]


def _wav_samples(raw: bytes, width: int) -> np.ndarray:
    if width == 2:
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        return ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8).astype(np.float32) / 8388608.0
    return np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0


def _open_wav(path: Path) -> Stream:
    try:
        w = wave.open(str(path), "rb")
    except (wave.Error, EOFError) as error:
        raise DecodeError(f"the WAV file is corrupt ({error})") from None
    width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
    if width not in (2, 3, 4):
        w.close()
        raise DecodeError(f"{8 * width}-bit WAV is not supported")

    def blocks() -> Iterator[np.ndarray]:
        with w:
            while True:
                try:
                    raw = w.readframes(BLOCK_FRAMES)
                except (wave.Error, EOFError) as error:
                    raise DecodeError(f"the WAV file is corrupt ({error})") from None
                samples = _wav_samples(raw, width)
                frames = len(samples) // channels
                if frames == 0:
                    return
                yield samples[: frames * channels].reshape(-1, channels).mean(axis=1).astype(np.float32)

    return Stream(rate, channels, blocks())


def _open_soundfile(path: Path, fmt: str) -> Stream:
    try:
        f = soundfile.SoundFile(str(path))
    except (RuntimeError, soundfile.LibsndfileError, TypeError) as error:
        raise DecodeError(f"the {fmt.upper()} file could not be decoded ({error})") from None
    # libsndfile reads by content; a file it takes for another container is not what was sent.
    if f.format.lower() not in (fmt, "wavex", "rf64") and not (fmt == "ogg" and f.format == "OGG"):
        f.close()
        raise DecodeError(f"the file is {f.format}, not {fmt.upper()}")
    # A FLAC streamed to a pipe has no length in its header; libsndfile then fails part-way through
    # (it seeks to the end), so such files go to the next decoder at once.
    if f.frames >= 2 ** 62:
        f.close()
        raise DecodeError(f"the {fmt.upper()} file does not say how long it is")

    def blocks() -> Iterator[np.ndarray]:
        with f:
            while True:
                try:
                    block = f.read(BLOCK_FRAMES, dtype="float32", always_2d=True)
                except (RuntimeError, soundfile.LibsndfileError) as error:
                    raise DecodeError(f"the {fmt.upper()} file is corrupt ({error})") from None
                if len(block) == 0:
                    return
                yield block.mean(axis=1).astype(np.float32) if f.channels > 1 else block[:, 0].copy()

    return Stream(f.samplerate, f.channels, blocks())


def _probe_channels_and_rate(path: Path, fmt: str) -> tuple[int, int]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-f", FFMPEG_DEMUXERS[fmt],
         "-select_streams", "a:0", "-show_entries", "stream=channels,sample_rate",
         "-of", "default=noprint_wrappers=1", f"file:{path}"],
        capture_output=True, text=True, timeout=30,
    )
    facts = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    channels, rate = facts.get("channels"), facts.get("sample_rate")
    if not (channels or "").isdigit() or not (rate or "").isdigit() or int(rate) <= 0:
        reason = out.stderr.strip().splitlines()
        raise DecodeError(f"the {fmt.upper()} file could not be decoded ({reason[-1] if reason else 'no audio stream'})")
    return int(channels), int(rate)


def _open_ffmpeg(path: Path, fmt: str) -> Stream:
    channels, rate = _probe_channels_and_rate(path, fmt)
    args = ["ffmpeg", "-v", "error", "-nostdin", "-protocol_whitelist", "file", "-f", FFMPEG_DEMUXERS[fmt],
            "-i", f"file:{path}", "-vn", "-ac", "1", "-f", "f32le", "-"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    timer = threading.Timer(DECODE_TIMEOUT_S, process.kill)
    timer.start()
    # stderr is drained beside stdout so a chatty decoder never blocks on a full pipe.
    errors: list[bytes] = []
    def read_errors() -> None:
        with process.stderr:
            errors.append(process.stderr.read())

    drain = threading.Thread(target=read_errors, daemon=True)
    drain.start()

    def blocks() -> Iterator[np.ndarray]:
        total = 0
        rest = b""
        try:
            while True:
                data = process.stdout.read(BLOCK_FRAMES * 4)
                if not data:
                    break
                data = rest + data
                whole = len(data) // 4 * 4
                rest = data[whole:]
                total += whole
                if whole:
                    yield np.frombuffer(data[:whole], dtype="<f4").copy()
            code = process.wait()
            drain.join()
            if not timer.is_alive() and code != 0:
                raise DecodeError(f"decoding the {fmt.upper()} file took over {DECODE_TIMEOUT_S} s")
            if code != 0 or total < 4:
                reason = b"".join(errors).decode(errors="replace").strip().splitlines()
                raise DecodeError(
                    f"the {fmt.upper()} file could not be decoded ({reason[-1] if reason else 'no audio'})"
                )
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()

    return Stream(rate, channels, blocks())


class _Checked:
    """The first block is read before the stream is handed out, so a decoder that fails at once
    (a corrupt file) fails while the next decoder can still be tried."""

    def __init__(self, stream: Stream):
        self.stream = stream
        self.first = next(stream.blocks, None)

    def resume(self) -> Stream:
        def blocks() -> Iterator[np.ndarray]:
            if self.first is not None:
                yield self.first
            yield from self.stream.blocks

        return Stream(self.stream.rate, self.stream.channels, blocks())


def _available(tool: str) -> bool:
    if tool == "python":
        return True
    if tool == "soundfile":
        return soundfile is not None
    return shutil.which(tool) is not None


OPENERS = {"python": lambda path, fmt: _open_wav(path), "soundfile": _open_soundfile, "ffmpeg": _open_ffmpeg}


def open_stream(path: Path, fmt: str) -> Stream:
    """The file's audio as mono float32 blocks at its own rate, from the first tool that reads it."""
    if fmt not in DECODERS:
        raise DecodeError(f"{fmt!r} samples are not supported")
    first_error: DecodeError | None = None
    for tool in DECODERS[fmt]:
        if not _available(tool):
            continue
        try:
            return _Checked(OPENERS[tool](path, fmt)).resume()
        except DecodeError as error:
            first_error = first_error or error
    if first_error is not None:
        raise first_error
    raise DecodeError(f"decoding {fmt.upper()} needs ffmpeg, and it is not installed (try: brew install ffmpeg)")


def decode(path: Path, fmt: str) -> Decoded:
    """The whole file in memory; training uses it on the normalized copies."""
    stream = open_stream(path, fmt)
    blocks = list(stream.blocks)
    audio = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
    return Decoded(audio.astype(np.float32), stream.rate, stream.channels)


def write_wav(path: Path, audio: np.ndarray, rate: int) -> None:
    """16-bit mono WAV, written atomically."""
    write_wav_blocks(path, iter([audio]), rate)


def write_wav_blocks(path: Path, blocks: Iterator[np.ndarray], rate: int) -> None:
    """16-bit mono WAV from a stream of blocks, written atomically in bounded memory."""

    def write(f) -> None:
        with wave.open(f, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            for block in blocks:
                w.writeframes(to_s16le(block))

    write_atomically(path, write)


def normalize(decoded: Decoded, rate: int) -> np.ndarray:
    return resample(decoded.audio, decoded.rate, rate).astype(np.float32)
