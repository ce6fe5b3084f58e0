from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AnalyzeReply(_message.Message):
    __slots__ = ["channels", "normalized_rate", "quality", "sample_rate"]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    NORMALIZED_RATE_FIELD_NUMBER: _ClassVar[int]
    QUALITY_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    channels: int
    normalized_rate: int
    quality: SampleQuality
    sample_rate: int
    def __init__(self, sample_rate: _Optional[int] = ..., channels: _Optional[int] = ..., normalized_rate: _Optional[int] = ..., quality: _Optional[_Union[SampleQuality, _Mapping]] = ...) -> None: ...

class AnalyzeRequest(_message.Message):
    __slots__ = ["format", "input_path", "output_path"]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    INPUT_PATH_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_PATH_FIELD_NUMBER: _ClassVar[int]
    format: str
    input_path: str
    output_path: str
    def __init__(self, input_path: _Optional[str] = ..., format: _Optional[str] = ..., output_path: _Optional[str] = ...) -> None: ...

class SampleQuality(_message.Message):
    __slots__ = ["clipped_percent", "duration_ms", "loudness_dbfs", "noise_floor_dbfs", "peak_dbfs", "snr_db", "speech_percent", "warnings"]
    CLIPPED_PERCENT_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    LOUDNESS_DBFS_FIELD_NUMBER: _ClassVar[int]
    NOISE_FLOOR_DBFS_FIELD_NUMBER: _ClassVar[int]
    PEAK_DBFS_FIELD_NUMBER: _ClassVar[int]
    SNR_DB_FIELD_NUMBER: _ClassVar[int]
    SPEECH_PERCENT_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    clipped_percent: float
    duration_ms: int
    loudness_dbfs: float
    noise_floor_dbfs: float
    peak_dbfs: float
    snr_db: float
    speech_percent: float
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, duration_ms: _Optional[int] = ..., loudness_dbfs: _Optional[float] = ..., peak_dbfs: _Optional[float] = ..., clipped_percent: _Optional[float] = ..., noise_floor_dbfs: _Optional[float] = ..., snr_db: _Optional[float] = ..., speech_percent: _Optional[float] = ..., warnings: _Optional[_Iterable[str]] = ...) -> None: ...

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
