"""python -m nobody_stt --socket PATH [--engine auto|kyutai|pocketsphinx]"""

from nobody.v1 import stt_pb2_grpc
from nobody_common.server import run_worker
from nobody_stt.engines import choose
from nobody_stt.service import SpeechToTextService

if __name__ == "__main__":
    run_worker(
        "stt",
        "nobody speech-to-text worker",
        choose,
        lambda server, engine, _args: stt_pb2_grpc.add_SpeechToTextServicer_to_server(SpeechToTextService(engine), server),
    )
