from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class TrainProgress(_message.Message):
    __slots__ = ["artifact_path", "message", "percent", "stage"]
    ARTIFACT_PATH_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    artifact_path: str
    message: str
    percent: float
    stage: str
    def __init__(self, stage: _Optional[str] = ..., percent: _Optional[float] = ..., message: _Optional[str] = ..., artifact_path: _Optional[str] = ...) -> None: ...

class TrainRequest(_message.Message):
    __slots__ = ["job_id", "output_dir", "sample_paths", "voice_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_DIR_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_PATHS_FIELD_NUMBER: _ClassVar[int]
    VOICE_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    output_dir: str
    sample_paths: _containers.RepeatedScalarFieldContainer[str]
    voice_id: str
    def __init__(self, job_id: _Optional[str] = ..., voice_id: _Optional[str] = ..., sample_paths: _Optional[_Iterable[str]] = ..., output_dir: _Optional[str] = ...) -> None: ...
