from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HealthCheckRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class HealthCheckResponse(_message.Message):
    __slots__ = ["engine", "engine_detail", "fallbacks", "pid", "sample_rate", "status", "worker"]
    class Status(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    ENGINE_DETAIL_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    FALLBACKS_FIELD_NUMBER: _ClassVar[int]
    PID_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_NOT_SERVING: HealthCheckResponse.Status
    STATUS_SERVING: HealthCheckResponse.Status
    STATUS_UNSPECIFIED: HealthCheckResponse.Status
    WORKER_FIELD_NUMBER: _ClassVar[int]
    engine: str
    engine_detail: str
    fallbacks: _containers.RepeatedScalarFieldContainer[str]
    pid: int
    sample_rate: int
    status: HealthCheckResponse.Status
    worker: str
    def __init__(self, status: _Optional[_Union[HealthCheckResponse.Status, str]] = ..., worker: _Optional[str] = ..., engine: _Optional[str] = ..., engine_detail: _Optional[str] = ..., fallbacks: _Optional[_Iterable[str]] = ..., pid: _Optional[int] = ..., sample_rate: _Optional[int] = ...) -> None: ...
