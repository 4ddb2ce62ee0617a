// A node peer for the benchmark: a plain `http` server that predicts with
// onnxruntime-node (CPU, 1 intra-op thread) and answers like tabserve's
// POST /api/v1/predict. onnxruntime-node cannot return ZipMap's output, so it
// loads the ZipMap-less copy of the loan model (output "probabilities" is the
// [N, 2] tensor of classes 0 = denied, 1 = approved).
//
// env: NODE_PATH (holding onnxruntime-node), ONNX_PATH, HOST, PORT.
'use strict';
const http = require('http');
const ort = require('onnxruntime-node');

const FEATURES = [
  // name, minimum, maximum, integer
  ['age', 18, 120, true],
  ['income', 0, Infinity, false],
  ['credit_score', 300, 850, true],
  ['employment_years', 0, Infinity, false],
  ['loan_amount', 0, Infinity, false],
];
const MODEL_VERSION = 'loan_approval_v1';
const MAX_BODY = 1 << 20;

function send(res, status, obj) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// validate returns [Float32Array of the features, null] or [null, errors].
function validate(data) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return [null, [{ field: '', message: 'body must be a JSON object' }]];
  }
  const x = new Float32Array(FEATURES.length);
  const errors = [];
  FEATURES.forEach(([name, lo, hi, integer], i) => {
    const v = data[name];
    if (v === undefined) { errors.push({ field: name, message: 'field is required' }); return; }
    const n = typeof v === 'number' ? v : (typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
    if (!Number.isFinite(n)) { errors.push({ field: name, message: 'must be a number' }); return; }
    if (integer && !Number.isInteger(n)) { errors.push({ field: name, message: 'must be an integer' }); return; }
    if (n < lo) { errors.push({ field: name, message: `must be >= ${lo}` }); return; }
    if (n > hi) { errors.push({ field: name, message: `must be <= ${hi}` }); return; }
    x[i] = n;
  });
  return errors.length ? [null, errors] : [x, null];
}

async function main() {
  const session = await ort.InferenceSession.create(process.env.ONNX_PATH, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      send(res, 200, { status: 'healthy', model_loaded: true, model_version: MODEL_VERSION });
      return;
    }
    if (req.url !== '/api/v1/predict') { send(res, 404, { error_code: 'NOT_FOUND', message: 'not found' }); return; }
    if (req.method !== 'POST') { send(res, 405, { error_code: 'METHOD_NOT_ALLOWED', message: 'method not allowed' }); return; }
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) { send(res, 413, { error_code: 'PAYLOAD_TOO_LARGE', message: 'body too large' }); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', async () => {
      let data;
      try { data = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch (e) {
        send(res, 400, { error_code: 'BAD_REQUEST', message: 'malformed JSON' });
        return;
      }
      const [x, errors] = validate(data);
      if (errors) {
        send(res, 422, { error_code: 'VALIDATION_ERROR', message: 'Request validation failed', errors });
        return;
      }
      try {
        const out = await session.run({ float_input: new ort.Tensor('float32', x, [1, FEATURES.length]) });
        const p = out.probabilities.data; // [denied, approved]
        const approved = Number(out.output_label.data[0]) === 1;
        send(res, 200, {
          prediction: approved ? 'approved' : 'denied',
          probability: approved ? p[1] : p[0],
          probabilities: { approved: p[1], denied: p[0] },
          model_version: MODEL_VERSION,
          timestamp: new Date().toISOString(),
        });
      } catch (e) {
        console.error(e);
        send(res, 500, { error_code: 'INTERNAL_ERROR', message: 'prediction failed' });
      }
    });
  });
  server.keepAliveTimeout = 65000;
  const host = process.env.HOST || '127.0.0.1';
  const port = parseInt(process.env.PORT || '8080', 10);
  server.listen(port, host, () => console.log(`listening on ${host}:${port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e); process.exit(1); });
