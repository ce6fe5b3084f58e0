"""The SpeechToText gRPC service: config first, then audio; partial results while it arrives."""

from __future__ import annotations

import grpc

from nobody.v1 import stt_pb2, stt_pb2_grpc
from nobody_common import log
from nobody_common.audio import Resampler, from_f32le
from nobody_stt.engines.base import InvalidRequest, SttEngine


class SpeechToTextService(stt_pb2_grpc.SpeechToTextServicer):
    def __init__(self, engine: SttEngine):
        self.engine = engine

    def Transcribe(self, request_iterator, context):
        first = next(request_iterator, None)
        if first is None or first.WhichOneof("payload") != "config":
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "the first message must carry the config")
        config = first.config
        if not 8000 <= config.sample_rate <= 192000:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, f"sample_rate {config.sample_rate} is outside 8000-192000")
        try:
            session = self.engine.open(
                config.language, list(config.phrases), not config.no_partials, config.speaker_state
            )
        except InvalidRequest as error:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
        # The numpy resampler: with libsoxr here a device turn in the full test suite stopped
        # after its first partial (twice, never alone); this path is 100 ms pieces, not a cost.
        resampler = Resampler(config.sample_rate, self.engine.sample_rate)
        received = 0
        try:
            for request in request_iterator:
                if request.WhichOneof("payload") != "audio":
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, "only audio may follow the config")
                try:
                    samples = from_f32le(request.audio)
                except ValueError as error:
                    context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(error))
                received += len(samples)
                result = session.accept(resampler.process(samples))
                if result is not None:
                    yield stt_pb2.TranscribeResponse(
                        text=result.text,
                        is_final=False,
                        audio_ms=received * 1000 // config.sample_rate,
                        end_of_turn_probability=result.end_of_turn_probability,
                    )
            session.accept(resampler.flush())
            final = session.finish()
            log.info("transcribed", audio_ms=received * 1000 // config.sample_rate, pii={"text": final.text})
            yield stt_pb2.TranscribeResponse(
                text=final.text,
                is_final=True,
                audio_ms=received * 1000 // config.sample_rate,
                end_of_turn_probability=final.end_of_turn_probability,
                speaker_state=final.speaker_state,
            )
        finally:
            session.close()
