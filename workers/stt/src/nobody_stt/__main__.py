"""python -m nobody_stt --socket PATH [--engine auto|kyutai|pocketsphinx]"""

import sys

from nobody.v1 import stt_pb2_grpc
from nobody_common import log
from nobody_common.server import EngineInfo, base_arguments, serve
from nobody_stt.engines import choose
from nobody_stt.engines.base import EngineUnavailable
from nobody_stt.service import SpeechToTextService


def main() -> None:
    args = base_arguments("nobody speech-to-text worker").parse_args()
    try:
        engine, fallbacks = choose(args.engine)
    except EngineUnavailable as error:
        log.error("cannot start", reason=str(error))
        sys.exit(3)
    info = EngineInfo(engine.name, engine.detail, engine.sample_rate, fallbacks)
    serve(
        "stt",
        args.socket,
        info,
        lambda server: stt_pb2_grpc.add_SpeechToTextServicer_to_server(SpeechToTextService(engine), server),
    )


if __name__ == "__main__":
    main()
