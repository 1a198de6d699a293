"""Reader/writer of Bus's token-stream corpus files (.bustok), from the format's definition:
bytes 0..7 ASCII magic BUSTOK01; bytes 8..15 uint64 little-endian header length H; bytes 16..16+H-1 a UTF-8 JSON header
{"vocabulary": symbols in id order, "normalization", "dtype": "uint8"|"uint16", "count", "sha256": hex sha256 of the token
bytes, "source"} padded with spaces so that 16+H is a multiple of 8; then `count` tokens (uint8, or uint16 little-endian)."""
import hashlib
import json
import struct

import numpy as np

MAGIC = b"BUSTOK01"
_DTYPES = {"uint8": np.dtype("u1"), "uint16": np.dtype("<u2")}


def read(path):
    """Returns (tokens as a numpy array, header dict); raises ValueError naming the file and the problem."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC:
        raise ValueError(f"{path}: not a .bustok file (magic {data[:8]!r}, expected {MAGIC!r})")
    (h,) = struct.unpack("<Q", data[8:16])
    if (16 + h) % 8 != 0 or 16 + h > len(data):
        raise ValueError(f"{path}: header length {h} is not padded to 8 bytes or exceeds the file ({len(data)} bytes)")
    header = json.loads(data[16:16 + h].decode("utf-8"))
    dtype = _DTYPES.get(header.get("dtype"))
    if dtype is None:
        raise ValueError(f"{path}: dtype {header.get('dtype')!r} is not uint8 or uint16")
    body = data[16 + h:]
    if len(body) != header["count"] * dtype.itemsize:
        raise ValueError(f"{path}: {len(body)} token bytes, header count {header['count']} x {dtype.itemsize}")
    if hashlib.sha256(body).hexdigest() != header["sha256"].lower():
        raise ValueError(f"{path}: sha256 of the tokens does not match the header")
    tokens = np.frombuffer(body, dtype=dtype).astype(np.int64)
    if tokens.size and tokens.max() >= len(header["vocabulary"]):
        raise ValueError(f"{path}: token id {tokens.max()} outside the vocabulary of {len(header['vocabulary'])} symbols")
    return tokens, header


def write(path, tokens, vocabulary, source, normalization="text8"):
    """Writes token ids (all < len(vocabulary)) as a .bustok file."""
    tokens = np.asarray(tokens)
    dtype = "uint8" if len(vocabulary) <= 256 else "uint16"
    body = tokens.astype(_DTYPES[dtype]).tobytes()
    header = json.dumps({"vocabulary": vocabulary, "normalization": normalization, "dtype": dtype, "count": int(tokens.size),
                         "sha256": hashlib.sha256(body).hexdigest(), "source": source}).encode("utf-8")
    header += b" " * ((8 - (16 + len(header)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(MAGIC + struct.pack("<Q", len(header)) + header + body)
