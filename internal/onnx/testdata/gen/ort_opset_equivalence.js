// ort_opset_equivalence.js runs each case at several re-stamped opsets
// with onnxruntime-node and prints every case whose outputs (or error)
// differ from those at the first opset. gen_newer_opsets.py --check writes
// the re-stamped models and the list of cases, then runs this.
//
// usage: NODE_PATH=<dir holding onnxruntime-node> node ort_opset_equivalence.js LIST.json DIR OPSET...
// LIST.json holds [[name, request.json path], ...]; DIR holds NAME_OPSET.onnx.
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const TYPES = {
  FP32: ['float32', Float32Array], FP64: ['float64', Float64Array], INT64: ['int64', BigInt64Array],
  INT32: ['int32', Int32Array], BOOL: ['bool', Uint8Array], BYTES: ['string', Array],
};

async function run(model, req) {
  const feeds = {};
  for (const inp of req.inputs) {
    const [type, Arr] = TYPES[inp.datatype];
    let data = inp.data.map((v) => (v === null ? NaN : v));
    if (type === 'int64') data = BigInt64Array.from(data.map((v) => BigInt(v)));
    else if (type === 'bool') data = Uint8Array.from(data.map((v) => (v ? 1 : 0)));
    else if (type !== 'string') data = Arr.from(data);
    feeds[inp.name] = new ort.Tensor(type, data, inp.shape);
  }
  try {
    const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
    const res = await s.run(feeds);
    return JSON.stringify(s.outputNames.map((n) => [n, res[n].dims,
      Array.from(res[n].data, (v) => (typeof v === 'bigint' ? v.toString() : Number.isNaN(v) ? 'NaN' : v))]));
  } catch (e) {
    // The message names the model file, which differs per opset.
    return 'error: ' + String(e.message).split(model).join('MODEL').split('\n')[0];
  }
}

(async () => {
  const [list, dir, ...opsets] = process.argv.slice(2);
  let same = 0, differ = 0;
  for (const [name, reqPath] of JSON.parse(fs.readFileSync(list, 'utf8'))) {
    const req = JSON.parse(fs.readFileSync(reqPath, 'utf8'));
    const first = await run(path.join(dir, `${name}_${opsets[0]}.onnx`), req);
    for (const v of opsets.slice(1)) {
      const got = await run(path.join(dir, `${name}_${v}.onnx`), req);
      if (got === first) {
        same++;
        continue;
      }
      differ++;
      console.log(`${name}: opset ${opsets[0]}: ${first.slice(0, 200)}\n  opset ${v}: ${got.slice(0, 200)}`);
    }
  }
  console.log(`${same} runs as at opset ${opsets[0]}, ${differ} different`);
})();
