"""The Trainer gRPC service: progress streams back while a voice is fitted."""

from __future__ import annotations

import errno
import queue
import re
import threading
from pathlib import Path

import grpc

from nobody.v1 import training_pb2, training_pb2_grpc
from nobody_common import log
from nobody_trainer.analysis import Cancelled, analyze_file
from nobody_trainer.decode import DecodeError
from nobody_trainer.measure import RATE
from nobody_trainer.samples import load_all

VOICE_ID = re.compile(r"^voice_[a-z2-7]{20}$")


class TrainerService(training_pb2_grpc.TrainerServicer):
    def __init__(self, engine):
        self.engine = engine

    def Analyze(self, request, context):
        source, output = Path(request.input_path), Path(request.output_path)
        if not source.is_file():
            context.abort(grpc.StatusCode.NOT_FOUND, f"{source.name} does not exist")
        if not output.is_absolute() or output.suffix != ".wav":
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "output_path must be an absolute .wav path")
        rate = int(getattr(self.engine, "sample_rate", RATE))
        try:
            stream, report = analyze_file(
                source, request.format, output, rate, cancelled=lambda: not context.is_active()
            )
        except Cancelled:
            context.abort(grpc.StatusCode.CANCELLED, "the caller went away")
        except DecodeError as error:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
        except MemoryError:
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "the voice trainer ran out of memory decoding it")
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, f"no space left on device: {error}")
            raise
        if report.duration_ms == 0:
            output.unlink(missing_ok=True)
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "the file contains no audio")
        return training_pb2.AnalyzeReply(
            sample_rate=stream.rate,
            channels=stream.channels,
            normalized_rate=rate,
            quality=training_pb2.SampleQuality(
                duration_ms=report.duration_ms,
                loudness_dbfs=report.loudness_dbfs,
                peak_dbfs=report.peak_dbfs,
                clipped_percent=report.clipped_percent,
                noise_floor_dbfs=report.noise_floor_dbfs,
                snr_db=report.snr_db,
                speech_percent=report.speech_percent,
                warnings=report.warnings,
            ),
        )

    def Train(self, request, context):
        if not VOICE_ID.match(request.voice_id):
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"{request.voice_id!r} is not a voice id")
        paths = [Path(p) for p in request.sample_paths]
        missing = [p.name for p in paths if not p.is_file()]
        if missing:
            context.abort(grpc.StatusCode.NOT_FOUND, f"sample files are missing: {', '.join(missing)}")
        output = Path(request.output_dir)
        updates: queue.Queue = queue.Queue()
        result: dict = {}

        def report(stage: str, percent: float, message: str) -> None:
            updates.put(training_pb2.TrainProgress(stage=stage, percent=percent, message=message))

        def work() -> None:
            try:
                report("loading", 1, f"loading {len(paths)} sample(s)")
                audio = load_all(paths)
                result["path"] = self.engine.train(audio, output, report)
            except Exception as error:  # reported to the caller below
                result["error"] = error
            finally:
                updates.put(None)

        threading.Thread(target=work, name=f"train-{request.job_id}", daemon=True).start()
        while True:
            update = updates.get()
            if update is None:
                break
            if not context.is_active():
                return
            yield update
        if "error" in result:
            error = result["error"]
            log.warn("training failed", job=request.job_id, reason=str(error))
            code = grpc.StatusCode.INVALID_ARGUMENT if isinstance(error, ValueError) else grpc.StatusCode.INTERNAL
            context.abort(code, str(error))
        yield training_pb2.TrainProgress(stage="done", percent=100, message="trained", artifact_path=str(result["path"]))
