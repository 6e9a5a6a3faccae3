#!/usr/bin/env python3
"""Runs ONNX's own checker (Debian's python3-onnx) on ONNX files exported by nnj.

The nn-onnx tests leave their exports in nn-onnx/target/onnx/ (a trained digits model, a network using every
activation, a dropout-only identity); with no arguments this checks those. For each file it runs
onnx.checker.check_model with full_check=True (which includes shape inference) and prints the opset, the
operators and the inferred output shape. A file that is not ONNX at all (unreadable, or bytes that do not decode
as an ONNX model) gets one line on stderr naming it, the other files are still checked, and the exit status is 1.

    mvn -pl nn-onnx -am verify && /usr/bin/python3 scripts/interop/onnx_check.py
    /usr/bin/python3 scripts/interop/onnx_check.py model.onnx ...
"""
import glob
import os
import sys
import warnings

import onnx
from google.protobuf.message import DecodeError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(paths):
    if not paths:
        paths = sorted(glob.glob(os.path.join(ROOT, "nn-onnx", "target", "onnx", "*.onnx")))
        if not paths:
            raise SystemExit("no files given and none in nn-onnx/target/onnx (run the nn-onnx tests first)")
    unreadable = 0
    for path in paths:
        model = load(path)
        if model is None:
            unreadable += 1
            continue
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        out = inferred.graph.output[0].type.tensor_type.shape
        dims = [d.dim_param or d.dim_value for d in out.dim]
        ops = [n.op_type for n in model.graph.node]
        print(f"{os.path.relpath(path)}: valid (IR {model.ir_version}, opset "
              f"{model.opset_import[0].version}); output {dims}; {len(ops)} nodes: {' '.join(ops)}")
    return 1 if unreadable else 0


def load(path):
    """The model in path, or None after printing one line on stderr when it cannot be read as ONNX.

    A raw traceback from protobuf says nothing about which file was wrong; a validation failure of a real model
    still raises, since the checker's own message is what the caller wants to see.
    """
    try:
        # protobuf warns on stderr about leftover bytes before it raises; the one line below says it plainly
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            model = onnx.load(path)
    except OSError as e:
        print(f"{path}: cannot read it ({e.strerror or e})", file=sys.stderr)
        return None
    except DecodeError:
        print(f"{path}: not an ONNX model (its bytes do not decode as an ONNX ModelProto)", file=sys.stderr)
        return None
    # an empty file (or other bytes that happen to decode) gives a model with nothing in it, not a broken ONNX model
    if not model.HasField("graph") and model.ir_version == 0:
        print(f"{path}: not an ONNX model (it decodes to an empty model: no graph, no IR version)", file=sys.stderr)
        return None
    return model


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
