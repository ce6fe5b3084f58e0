from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Audio(_message.Message):
    __slots__ = ["pcm_f32le", "pcm_s16le", "sample_rate"]
    PCM_F32LE_FIELD_NUMBER: _ClassVar[int]
    PCM_S16LE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    pcm_f32le: bytes
    pcm_s16le: bytes
    sample_rate: int
    def __init__(self, pcm_f32le: _Optional[bytes] = ..., sample_rate: _Optional[int] = ..., pcm_s16le: _Optional[bytes] = ...) -> None: ...
