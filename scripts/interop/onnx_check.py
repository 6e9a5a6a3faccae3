#!/usr/bin/env python3
"""Runs ONNX's own checker (Debian's python3-onnx) on ONNX files exported by nnj.

The nn-onnx tests leave their exports in nn-onnx/target/onnx/ (a trained digits model, a network using every
activation, a dropout-only identity); with no arguments this checks those. For each file it runs
onnx.checker.check_model with full_check=True (which includes shape inference) and prints the opset, the
operators and the inferred output shape.

    mvn -pl nn-onnx -am verify && /usr/bin/python3 scripts/interop/onnx_check.py
    /usr/bin/python3 scripts/interop/onnx_check.py model.onnx ...
"""
import glob
import os
import sys

import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(paths):
    if not paths:
        paths = sorted(glob.glob(os.path.join(ROOT, "nn-onnx", "target", "onnx", "*.onnx")))
        if not paths:
            raise SystemExit("no files given and none in nn-onnx/target/onnx (run the nn-onnx tests first)")
    for path in paths:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        out = inferred.graph.output[0].type.tensor_type.shape
        dims = [d.dim_param or d.dim_value for d in out.dim]
        ops = [n.op_type for n in model.graph.node]
        print(f"{os.path.relpath(path)}: valid (IR {model.ir_version}, opset "
              f"{model.opset_import[0].version}); output {dims}; {len(ops)} nodes: {' '.join(ops)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
