from nobody.v1 import audio_pb2 as _audio_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SynthesizeRequest(_message.Message):
    __slots__ = ["settings", "text"]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    settings: SynthesizeSettings
    text: str
    def __init__(self, text: _Optional[str] = ..., settings: _Optional[_Union[SynthesizeSettings, _Mapping]] = ...) -> None: ...

class SynthesizeResponse(_message.Message):
    __slots__ = ["audio", "text_index"]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    TEXT_INDEX_FIELD_NUMBER: _ClassVar[int]
    audio: _audio_pb2.Audio
    text_index: int
    def __init__(self, audio: _Optional[_Union[_audio_pb2.Audio, _Mapping]] = ..., text_index: _Optional[int] = ...) -> None: ...

class SynthesizeSettings(_message.Message):
    __slots__ = ["pcm_s16le", "sample_rate", "speed", "voice"]
    PCM_S16LE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    SPEED_FIELD_NUMBER: _ClassVar[int]
    VOICE_FIELD_NUMBER: _ClassVar[int]
    pcm_s16le: bool
    sample_rate: int
    speed: float
    voice: VoiceSelection
    def __init__(self, voice: _Optional[_Union[VoiceSelection, _Mapping]] = ..., sample_rate: _Optional[int] = ..., speed: _Optional[float] = ..., pcm_s16le: bool = ...) -> None: ...

class SynthesizeStreamRequest(_message.Message):
    __slots__ = ["settings", "text"]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    settings: SynthesizeSettings
    text: str
    def __init__(self, settings: _Optional[_Union[SynthesizeSettings, _Mapping]] = ..., text: _Optional[str] = ...) -> None: ...

class VoiceSelection(_message.Message):
    __slots__ = ["voice_id"]
    VOICE_ID_FIELD_NUMBER: _ClassVar[int]
    voice_id: str
    def __init__(self, voice_id: _Optional[str] = ...) -> None: ...
