"""python -m nobody_trainer --socket PATH [--engine auto|espeak|pocket]"""

import sys

from nobody.v1 import training_pb2_grpc
from nobody_common import log
from nobody_common.server import EngineInfo, base_arguments, serve
from nobody_trainer.service import TrainerService


def choose(requested: str):
    fallbacks = []
    if requested in ("auto", "pocket"):
        try:
            from nobody_trainer.engines.pocket_exporter import PocketExporter

            return PocketExporter(), fallbacks
        except ImportError as error:
            fallbacks.append(f"pocket: not installed ({error})")
            if requested == "pocket":
                raise SystemExit(f"cannot start: {fallbacks[-1]}")
    from nobody_trainer.engines.espeak_fitter import EspeakFitter

    if fallbacks:
        log.warn("using fallback trainer", engine="espeak-ng profile", passed_over=fallbacks)
    return EspeakFitter(), fallbacks


def main() -> None:
    args = base_arguments("nobody voice trainer worker").parse_args()
    try:
        engine, fallbacks = choose(args.engine)
    except SystemExit as error:
        log.error(str(error))
        sys.exit(3)
    info = EngineInfo(engine.name, engine.name, 16000, fallbacks)
    serve("trainer", args.socket, info, lambda s: training_pb2_grpc.add_TrainerServicer_to_server(TrainerService(engine), s))


if __name__ == "__main__":
    main()
