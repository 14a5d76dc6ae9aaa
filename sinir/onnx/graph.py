"""GraphBuilder: collects ONNX nodes and initializers as the converters emit them.

Each converter in ``converters/`` calls ``node`` (one ONNX operator) and ``constant`` (a
tensor stored in the file); the builder names everything after the module that made it
(``/features.0/Conv``), so that Netron shows the model's own layer names.
"""
import numpy as np

# ONNX changed some operators' options from attributes to inputs at these opsets
REDUCE_AXES_AS_INPUT = {"ReduceSum": 13, "ReduceMean": 18, "ReduceMax": 18, "ReduceMin": 18}


def memory_key(array):
    """What makes two arrays the same values in the same memory: the same buffer, seen twice."""
    array = np.asarray(array)
    return array.__array_interface__["data"][0], array.shape, array.strides, array.dtype.str


class GraphBuilder:
    """The nodes and initializers of one ONNX graph, built up in order.

    Initializers are written straight into ``graph`` (a GraphProto, usually ``model.graph``):
    copying the weights of a large model from one protobuf message to another takes seconds.

    >>> g = GraphBuilder(onnx, opset=17, graph=onnx.ModelProto().graph)
    >>> y = g.node("Relu", [x], where="features.1")
    """

    def __init__(self, onnx, opset, graph):
        self.onnx, self.opset, self.graph = onnx, opset, graph
        self.nodes = []
        self._used_names = set()
        self.named_arrays = {}     # memory_key(buffer) -> its state_dict name
        self._stored = {}          # memory_key(buffer) -> the initializer already written for it
        self.batch_fills = {}      # name -> (value, dtype, shape, dynamic): made from the batch size

    def unique(self, name):
        """``name``, or ``name_1``, ``name_2``, ... if it is taken."""
        candidate, count = name, 0
        while candidate in self._used_names:
            count += 1
            candidate = f"{name}_{count}"
        self._used_names.add(candidate)
        return candidate

    def reserve(self, name):
        """Claim a name given by the user (an input, an output, a parameter)."""
        if name in self._used_names:
            raise ValueError(f"onnx export: the name {name!r} is used twice")
        self._used_names.add(name)
        return name

    # ----- tensors stored in the file ---------------------------------------------------------
    def initializer(self, array, name):
        """Store ``array`` under exactly ``name`` (a parameter or buffer: its state_dict name)."""
        return self._store(array, self.reserve(name))

    def _store(self, array, name):
        array = np.asarray(array)
        tensor = self.graph.initializer.add()
        tensor.name = name
        tensor.data_type = self.onnx.helper.np_dtype_to_tensor_dtype(array.dtype)
        tensor.dims.extend(array.shape)
        tensor.raw_data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        return name

    def array(self, array, name, dtype):
        """An array an operation holds as an option (BatchNorm's running mean): stored once, under its
        state_dict name when it is one of the model's buffers."""
        array = np.asarray(array)
        key = memory_key(array)
        if key in self.named_arrays and array.dtype == dtype:
            if key not in self._stored:
                self._stored[key] = self.initializer(array, self.named_arrays[key])
            return self._stored[key]
        return self.constant(np.asarray(array, dtype=dtype), name)

    def constant(self, array, name="constant", dtype=None):
        """Store a constant array (a shape, an index, a scalar) under a fresh name."""
        return self._store(np.asarray(array, dtype=dtype), self.unique(name))

    def ints(self, values, name="shape"):
        """A 1-D int64 constant, as ONNX wants for shapes, axes and pads."""
        return self.constant(np.asarray(values, dtype=np.int64).reshape(-1), name)

    def batch_fill(self, value, dtype, shape, dynamic):
        """The name of an array of one value whose ``dynamic`` axes have the batch's length; its
        nodes are written by ``write_batch_fills`` only if something uses it."""
        name = self.unique("batch_fill")
        self.batch_fills[name] = (value, np.dtype(dtype), tuple(shape), tuple(dynamic))
        return name

    def is_zero_fill(self, name):
        return name in self.batch_fills and self.batch_fills[name][0] == 0

    def write_batch_fills(self, batch_source):
        """Put the nodes of every used batch fill first: ConstantOfShape of a shape whose dynamic
        axes are the length of axis 0 of ``batch_source`` (the first input)."""
        used = {name for node in self.nodes for name in node.input}
        nodes, self.nodes = self.nodes, []
        for name, (value, dtype, shape, dynamic) in self.batch_fills.items():
            if name not in used:
                continue
            batch = self.slice(self.node("Shape", [batch_source]), [0], [1], [0])
            parts = [batch if is_dynamic else self.ints([n], "size") for n, is_dynamic in zip(shape, dynamic)]
            size = self.node("Concat", parts, axis=0)
            element_type = self.onnx.helper.np_dtype_to_tensor_dtype(dtype)
            fill = self.onnx.helper.make_tensor("value", element_type, [1], [value])
            node = self.onnx.helper.make_node("ConstantOfShape", [size], [name], name=f"/{name}", value=fill)
            self.nodes.append(node)
        self.nodes += nodes

    # ----- operators -------------------------------------------------------------------------------
    def node(self, op_type, inputs, where="", outputs=1, **attributes):
        """Add one ONNX operator; returns its output name (or a list of ``outputs`` names).

        ``inputs`` are value names ('' for a left-out optional input); ``where`` is the module path
        that the node came from, used in its name.
        """
        inputs = list(inputs)
        while inputs and inputs[-1] == "":      # optional inputs left out at the end need no place
            inputs.pop()
        name = self.unique(f"/{where}/{op_type}" if where else f"/{op_type}")
        output_names = [self.unique(f"{name}_output_{i}") for i in range(outputs)]
        self.nodes.append(self.onnx.helper.make_node(op_type, inputs, output_names, name=name, **attributes))
        return output_names[0] if outputs == 1 else output_names

    def reduce(self, op_type, x, axes, keepdims, where=""):
        """ReduceSum/Mean/Max/Min over ``axes`` (None: all), whichever way this opset takes the axes."""
        if axes is None:
            return self.node(op_type, [x], where, keepdims=int(keepdims))
        if self.opset >= REDUCE_AXES_AS_INPUT[op_type]:
            return self.node(op_type, [x, self.ints(axes, "axes")], where, keepdims=int(keepdims))
        return self.node(op_type, [x], where, axes=list(axes), keepdims=int(keepdims))

    def unsqueeze(self, x, axes, where=""):
        return self.node("Unsqueeze", [x, self.ints(axes, "axes")], where)

    def squeeze(self, x, axes, where=""):
        return self.node("Squeeze", [x, self.ints(axes, "axes")], where)

    def slice(self, x, starts, ends, axes, steps=None, where=""):
        inputs = [x, self.ints(starts, "starts"), self.ints(ends, "ends"), self.ints(axes, "axes")]
        if steps is not None:
            inputs.append(self.ints(steps, "steps"))
        return self.node("Slice", inputs, where)
