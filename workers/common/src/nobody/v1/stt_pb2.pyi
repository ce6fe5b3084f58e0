from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TranscribeConfig(_message.Message):
    __slots__ = ["language", "no_partials", "phrases", "sample_rate", "speaker_state"]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NO_PARTIALS_FIELD_NUMBER: _ClassVar[int]
    PHRASES_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_STATE_FIELD_NUMBER: _ClassVar[int]
    language: str
    no_partials: bool
    phrases: _containers.RepeatedScalarFieldContainer[str]
    sample_rate: int
    speaker_state: bytes
    def __init__(self, sample_rate: _Optional[int] = ..., language: _Optional[str] = ..., phrases: _Optional[_Iterable[str]] = ..., no_partials: bool = ..., speaker_state: _Optional[bytes] = ...) -> None: ...

class TranscribeRequest(_message.Message):
    __slots__ = ["audio", "config"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    audio: bytes
    config: TranscribeConfig
    def __init__(self, config: _Optional[_Union[TranscribeConfig, _Mapping]] = ..., audio: _Optional[bytes] = ...) -> None: ...

class TranscribeResponse(_message.Message):
    __slots__ = ["audio_ms", "end_of_turn_probability", "is_final", "speaker_state", "text"]
    AUDIO_MS_FIELD_NUMBER: _ClassVar[int]
    END_OF_TURN_PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    IS_FINAL_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_STATE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    audio_ms: int
    end_of_turn_probability: float
    is_final: bool
    speaker_state: bytes
    text: str
    def __init__(self, text: _Optional[str] = ..., is_final: bool = ..., audio_ms: _Optional[int] = ..., end_of_turn_probability: _Optional[float] = ..., speaker_state: _Optional[bytes] = ...) -> None: ...
