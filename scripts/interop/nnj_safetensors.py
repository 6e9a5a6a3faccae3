"""The safetensors format with numpy only (no safetensors package), and nnj's model metadata.

A safetensors file is an 8-byte little-endian header length N, N bytes of JSON header mapping each tensor name
to {"dtype", "shape", "data_offsets": [begin, end]} (plus an optional "__metadata__" of string to string), then
the little-endian row-major data. nnj stores its architecture, weight layout and preprocessing as JSON text
under the metadata keys nnj.architecture, nnj.weight_layout and nnj.preprocessing (see docs/models.md).
"""
import json
import os
import struct
import tempfile

import numpy as np

_DTYPES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8"), "F16": np.dtype("<f2")}
MAX_HEADER = 100_000_000


def read(path):
    """Returns (metadata dict, {name: float32 ndarray}) after checking the header's bounds."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 10:
        raise ValueError(f"{path}: {len(data)} bytes, too short for a safetensors file")
    (n,) = struct.unpack("<Q", data[:8])
    if n < 2 or n > min(MAX_HEADER, len(data) - 8):
        raise ValueError(f"{path}: impossible header length {n} for a file of {len(data)} bytes")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {}
    end_of_last = 0
    for name, entry in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, end = entry["data_offsets"]
        if begin != end_of_last:
            raise ValueError(f"{path}: tensor {name!r}: data_offsets do not follow the previous tensor")
        dtype = _DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ValueError(f"{path}: tensor {name!r}: dtype {entry['dtype']} is not supported")
        shape = tuple(entry["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        if end - begin != count * dtype.itemsize or end > len(body):
            raise ValueError(f"{path}: tensor {name!r}: data_offsets do not match shape {shape}")
        tensors[name] = np.frombuffer(body, dtype=dtype, count=count, offset=begin).reshape(shape).astype(np.float32)
        end_of_last = end
    if end_of_last != len(body):
        raise ValueError(f"{path}: the tensors do not cover the data section")
    return metadata, tensors


def write(path, tensors, metadata):
    """Writes float32 tensors (in the given order) with string metadata, atomically (temp file, fsync, rename)."""
    header = {"__metadata__": metadata} if metadata else {}
    offset = 0
    blobs = []
    for name, array in tensors.items():
        a = np.ascontiguousarray(array, dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for b in blobs:
                f.write(b)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
