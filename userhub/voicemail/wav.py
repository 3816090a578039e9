"""Check that an uploaded greeting really is a WAV file, by its content (never by its name).

The RIFF chunks are read by hand rather than with the ``wave`` module: ``wave`` only opens PCM, and
providers ask for 8 kHz mono CCITT µ-law greetings, which it refuses.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

MAX_GREETING_BYTES = 5000 * 1024  # "max 5000 KB" for the self-service upload (reference section 18)
# PCM, IEEE float, A-law, µ-law, and the "extensible" header that wraps them.
AUDIO_FORMATS = {1: "PCM", 3: "IEEE float", 6: "A-law", 7: "µ-law", 0xFFFE: "extensible"}


class NotWav(ValueError):
    """The bytes are not a WAV file a phone system can play; ``reason`` says why (in English, for logs)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WavInfo:
    audio_format: str
    channels: int
    sample_rate: int
    bits_per_sample: int
    duration_ms: int


def _chunks(data: bytes):  # type: ignore[no-untyped-def]
    offset = 12
    while offset + 8 <= len(data):
        chunk_id, size = struct.unpack_from("<4sI", data, offset)
        body = data[offset + 8: offset + 8 + size]
        if len(body) < size and chunk_id != b"data":  # a short data chunk is tolerated, not a short header
            raise NotWav(f"chunk {chunk_id!r} is cut short")
        yield chunk_id, body
        offset += 8 + size + (size & 1)  # chunks are padded to an even length


def inspect_wav(data: bytes) -> WavInfo:
    """Return what the file holds, or raise ``NotWav``. The caller checks the size first."""
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise NotWav("no RIFF/WAVE header")
    fmt: bytes | None = None
    audio_bytes: int | None = None
    for chunk_id, body in _chunks(data):
        if chunk_id == b"fmt ":
            fmt = body
        elif chunk_id == b"data":
            audio_bytes = len(body)
            break
    if fmt is None or len(fmt) < 16:
        raise NotWav("no format chunk")
    code, channels, rate, byte_rate, _align, bits = struct.unpack_from("<HHIIHH", fmt)
    if code not in AUDIO_FORMATS:
        raise NotWav(f"audio format {code} is not supported")
    if channels not in (1, 2) or not 8000 <= rate <= 48000 or byte_rate == 0 or bits not in (8, 16, 24, 32):
        raise NotWav("unusual channels, sample rate or sample size")
    if not audio_bytes:
        raise NotWav("no audio data")
    return WavInfo(AUDIO_FORMATS[code], channels, rate, bits, audio_bytes * 1000 // byte_rate)


def make_wav(seconds: float = 1.0, rate: int = 8000, audio_format: int = 7, bits: int = 8) -> bytes:
    """A silent WAV file (µ-law 8 kHz mono by default): for tests and the demo data."""
    frames = int(seconds * rate)
    byte_rate = rate * bits // 8
    audio = (b"\xff" if audio_format == 7 else b"\x00") * (frames * bits // 8)
    fmt = struct.pack("<HHIIHH", audio_format, 1, rate, byte_rate, bits // 8, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(audio)) + audio
    return b"RIFF" + struct.pack("<I", len(body)) + body
