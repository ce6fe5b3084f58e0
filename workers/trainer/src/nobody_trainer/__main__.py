"""python -m nobody_trainer --socket PATH [--engine auto|pocket|espeak]"""

from nobody.v1 import training_pb2_grpc
from nobody_common.server import run_worker
from nobody_trainer.engines import choose
from nobody_trainer.service import TrainerService

if __name__ == "__main__":
    run_worker(
        "trainer",
        "nobody voice trainer worker",
        choose,
        lambda server, engine, _args: training_pb2_grpc.add_TrainerServicer_to_server(TrainerService(engine), server),
    )
