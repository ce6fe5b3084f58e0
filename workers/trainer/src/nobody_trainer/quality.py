"""A sample's quality report: what a person needs to know before training on it, in their words.

Figures: duration, loudness (speech RMS, dBFS), peak, clipping, noise floor and SNR (quietest vs
loudest 10 ms frames), and the share of the sample that is speech. Warnings say what to fix.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

RATE = 16000
FRAME = RATE // 100  # 10 ms


@dataclass
class QualityReport:
    duration_ms: int
    loudness_dbfs: float
    peak_dbfs: float
    clipped_percent: float
    noise_floor_dbfs: float
    snr_db: float
    speech_percent: float
    # How tonal the background is (0 = pure tones, about 0.5 = white noise); None when it is silent.
    background_flatness: float | None = None
    # The rate the file was recorded at, and the share of the speech's energy above 4 kHz (dB):
    # telephone and Bluetooth-headset audio carry nothing there, even when stored at 16 kHz or more.
    source_rate: int = 0
    high_band_db: float | None = None
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _db(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-9)))


# Speech puts roughly -15 to -30 dB of its energy above 4 kHz; band-limited audio far less.
NARROWBAND_DB = -40.0
# Below this RMS (-70 dBFS) the background is inaudible, whatever it is made of.
AUDIBLE = 10 ** (-70 / 20)


def _flatness(frames: np.ndarray) -> np.ndarray:
    """Spectral flatness (geometric over arithmetic mean of the power spectrum) of each frame.

    Music and hum concentrate their energy in a few harmonics (flatness near 0); hiss and room noise
    spread it evenly (near 0.5 with a Hann window)."""
    power = np.abs(np.fft.rfft(frames * np.hanning(frames.shape[1]), axis=1))[:, 1:] ** 2 + 1e-20
    return (np.exp(np.log(power).mean(axis=1)) / power.mean(axis=1)).astype(np.float32)


class Quality:
    """The report of a signal fed a block at a time: it keeps two figures per 10 ms frame (about
    1.4 MB for 30 minutes), never the audio."""

    def __init__(self, source_rate: int = RATE):
        self.source_rate = source_rate
        self.high: list[np.ndarray] = []
        self.rest = np.zeros(0, dtype=np.float64)
        self.rms: list[np.ndarray] = []
        self.flatness: list[np.ndarray] = []
        self.samples = 0
        self.peak = 0.0
        self.clipped = 0

    def add(self, block: np.ndarray) -> None:
        x = np.asarray(block, dtype=np.float64)
        if len(x) == 0:
            return
        self.samples += len(x)
        self.peak = max(self.peak, float(np.max(np.abs(x))))
        self.clipped += int(np.count_nonzero(np.abs(x) >= 0.999))
        x = np.concatenate([self.rest, x])
        whole = len(x) // FRAME * FRAME
        self.rest = x[whole:]
        if whole:
            frames = x[:whole].reshape(-1, FRAME)
            self.rms.append((np.sqrt((frames ** 2).mean(axis=1)) + 1e-9).astype(np.float64))
            self.flatness.append(_flatness(frames))
            power = np.abs(np.fft.rfft(frames * np.hanning(FRAME), axis=1)) ** 2
            # Bins are 100 Hz apart: index 40 is 4 kHz.
            self.high.append(np.stack([power[:, 40:].sum(axis=1), power.sum(axis=1)], axis=1))

    def finish(self) -> QualityReport:
        if not self.rms:
            return QualityReport(0, -180.0, -180.0, 0.0, -180.0, 0.0, 0.0, warnings=["the sample is empty"])
        rms = np.concatenate(self.rms)
        flatness = np.concatenate(self.flatness)
        ordered = np.sort(rms)
        tenth = max(1, len(ordered) // 10)
        noise = float(ordered[:tenth].mean())
        loud = float(ordered[-tenth:].mean())
        # Speech frames stand well above the noise floor: 12 dB, or a quarter of the loud level.
        speech = rms > max(noise * 4, loud / 4)
        speech_rms = float(np.sqrt(((rms[speech] - 1e-9) ** 2).mean())) if speech.any() else 0.0
        quiet = rms <= ordered[tenth - 1]
        report = QualityReport(
            duration_ms=int(self.samples * 1000 / RATE),
            loudness_dbfs=round(_db(speech_rms), 1),
            peak_dbfs=round(_db(self.peak), 1),
            clipped_percent=round(self.clipped / self.samples * 100, 3),
            noise_floor_dbfs=round(_db(noise), 1),
            snr_db=round(_db(loud) - _db(noise), 1),
            speech_percent=round(float(speech.mean()) * 100, 1),
            background_flatness=round(float(flatness[quiet].mean()), 3) if noise > AUDIBLE else None,
            source_rate=self.source_rate,
        )
        if speech.any():
            bands = np.concatenate(self.high)[speech]
            report.high_band_db = round(_db(float(np.sqrt(bands[:, 0].sum() / max(bands[:, 1].sum(), 1e-20)))), 1)
        report.warnings = _warnings(report)
        return report


def analyze(audio: np.ndarray, source_rate: int = RATE) -> QualityReport:
    """Audio: mono float32 at 16 kHz."""
    quality = Quality(source_rate)
    quality.add(audio)
    return quality.finish()


def _warnings(r: QualityReport) -> list[str]:
    out = []
    if r.duration_ms < 2000:
        out.append("very short: record at least a few seconds of speech per sample")
    if r.speech_percent > 0 and r.loudness_dbfs < -40:
        out.append("too quiet: move closer to the microphone or raise its gain")
    if r.clipped_percent > 0.1:
        out.append("clipping: the recording is too loud and distorted; lower the gain")
    tonal = r.background_flatness is not None and r.background_flatness < 0.1
    if tonal and r.snr_db < 35:
        out.append("music in the background: music or a hum plays under the voice; record without it")
    elif r.snr_db < 20:
        out.append("noisy: background noise is close to the voice; record somewhere quieter")
    if r.speech_percent < 30:
        out.append("little speech: most of the sample is silence or noise")
    if 0 < r.source_rate < RATE:
        out.append(
            f"narrowband: recorded at {r.source_rate / 1000:g} kHz (telephone quality), so the voice above "
            f"{r.source_rate / 2000:g} kHz is missing; speech recognition and cloning need 16 kHz or more"
        )
    elif r.high_band_db is not None and r.high_band_db < NARROWBAND_DB:
        out.append(
            "narrowband: the recording carries nothing above 4 kHz (telephone or Bluetooth-headset audio); "
            "record with the computer's microphone or a wired one"
        )
    return out
