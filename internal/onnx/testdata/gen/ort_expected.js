// ort_expected.js runs an ONNX model on an Open Inference Protocol request
// with onnxruntime-node and writes onnxruntime's outputs in the corpus's
// expected.json format (see ../corpus/MANIFEST.md).
//
// usage: NODE_PATH=<dir holding onnxruntime-node> node ort_expected.js CASE.onnx CASE.request.json
// Prints {"outputs": [...]} to stdout. onnxruntime-node cannot return a
// ZipMap's sequence of maps, so casegen.py passes a copy of the model whose
// ZipMap outputs are replaced by the ZipMap's input tensor; the output keeps
// its name and gets "classes" from the ZipMap (argument 3, JSON).
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

const TYPES = {
  FP32: ['float32', Float32Array], FP64: ['float64', Float64Array], INT64: ['int64', BigInt64Array],
  INT32: ['int32', Int32Array], BOOL: ['bool', Uint8Array], BYTES: ['string', Array],
};
const DATATYPE = { float32: 'FP32', float64: 'FP64', int64: 'INT64', int32: 'INT32', bool: 'BOOL', string: 'BYTES' };

(async () => {
  const [modelPath, requestPath, classesJSON] = process.argv.slice(2);
  const classes = classesJSON ? JSON.parse(classesJSON) : {};
  const req = JSON.parse(fs.readFileSync(requestPath, 'utf8'));
  const feeds = {};
  for (const inp of req.inputs) {
    const [type, Arr] = TYPES[inp.datatype];
    let data = inp.data.map((v) => (v === null ? NaN : v));
    if (type === 'int64') data = BigInt64Array.from(data.map((v) => BigInt(v)));
    else if (type === 'bool') data = Uint8Array.from(data.map((v) => (v ? 1 : 0)));
    else if (type !== 'string') data = Arr.from(data);
    feeds[inp.name] = new ort.Tensor(type, data, inp.shape);
  }
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  const res = await session.run(feeds);
  const outputs = session.outputNames.map((name) => {
    const t = res[name];
    let data = Array.from(t.data, (v) => (typeof v === 'bigint' ? Number(v) : v));
    if (t.type === 'bool') data = data.map((v) => !!v);
    if (t.type === 'float32' || t.type === 'float64') data = data.map((v) => (Number.isFinite(v) ? v : null));
    const o = { name, shape: t.dims.map(Number), datatype: DATATYPE[t.type], data };
    if (classes[name]) o.classes = classes[name];
    return o;
  });
  console.log(JSON.stringify({ outputs }));
})().catch((e) => { console.error(String(e && e.message || e)); process.exit(1); });
