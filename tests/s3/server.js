// SPDX-License-Identifier: AGPL-3.0-or-later
'use strict';
// The S3 server of the blob store integration tests: s3rver on 127.0.0.1 and a free port, with the
// given buckets, data in the given directory. Prints "listening <port>" when ready.
//
//   node server.js <data-dir> <bucket>...
//
// s3rver 3.7.1 knows one key pair (S3RVER / S3RVER). It refuses an unknown access key id
// (403 InvalidAccessKeyId) but does not verify SigV4 signatures at all. So that a wrong secret is
// refused as by S3, this wrapper verifies the signature of header-signed requests made with that
// key before s3rver sees them, and answers 403 SignatureDoesNotMatch otherwise. It checks the
// canonical request (method, path, query, signed headers, the declared payload hash) and the
// credential scope; it does not hash the body against x-amz-content-sha256, nor check clock skew.
//
// Deviation fixed here: s3rver answers a ranged GET of an empty object with 206, "Content-Length: 1"
// and no body (the client then waits for a byte that never comes); S3 answers 416 InvalidRange, and
// so does this wrapper.
//
// Fault injection for the retry tests: a request whose path has a segment "flaky-<n>" is answered
// 503 SlowDown the first <n> times that method and URL (without the query) arrive.

const crypto = require('crypto');
const http = require('http');
const S3rver = require('s3rver');

const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';

function uriEncode(text, encodeSlash) {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (c === '/' && !encodeSlash)) {
      out += c;
    } else {
      out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

// The reason the request's signature is wrong, or null when it verifies.
function signatureProblem(req) {
  const auth = req.headers['authorization'];
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!match) return 'malformed Authorization header';
  const [, , date, region, signedHeaders, signature] = match;
  const amzDate = req.headers['x-amz-date'] || '';
  if (!amzDate.startsWith(date)) return 'credential date does not match x-amz-date';

  const [rawPath, rawQuery = ''] = req.url.split('?', 2);
  const path = rawPath
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment), true))
    .join('/');
  const query = rawQuery
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const [name, value = ''] = pair.split('=', 2);
      return [
        uriEncode(decodeURIComponent(name), true),
        uriEncode(decodeURIComponent(value), true),
      ];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const names = signedHeaders.split(';');
  const headers = names
    .map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (!payloadHash) return 'missing x-amz-content-sha256';
  const canonical = [req.method, path, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    crypto.createHash('sha256').update(canonical, 'utf8').digest('hex'),
  ].join('\n');
  let key = hmac('AWS4' + SECRET_ACCESS_KEY, date);
  key = hmac(key, region);
  key = hmac(key, 's3');
  key = hmac(key, 'aws4_request');
  const expected = crypto.createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return expected === signature ? null : 'signature mismatch';
}

const flakyCounts = new Map();

// True when this request must fail (and answers it).
function injectFault(req, res) {
  const path = req.url.split('?', 1)[0];
  const match = /\/flaky-(\d+)\//.exec(path + '/');
  if (!match) return false;
  const id = `${req.method} ${path}`;
  const seen = flakyCounts.get(id) || 0;
  flakyCounts.set(id, seen + 1);
  if (seen >= Number(match[1])) return false;
  req.resume();
  sendError(res, 503, 'SlowDown', 'Please reduce your request rate.');
  return true;
}

function sendError(res, status, code, message) {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// True when this is a ranged GET of an existing empty object (then answered 416 as by S3).
async function rangeOfEmptyObject(store, req, res) {
  if (req.method !== 'GET' || !req.headers.range) return false;
  const match = /^\/([^/]+)\/(.+)$/.exec(req.url.split('?', 1)[0]);
  if (!match) return false;
  let metadata;
  try {
    metadata = await store.getMetadata(decodeURIComponent(match[1]), decodeURIComponent(match[2]));
  } catch (error) {
    return false;  // no such object: s3rver answers
  }
  if (Number(metadata['content-length']) !== 0) return false;
  sendError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
  return true;
}

function refuse(res) {
  sendError(
    res,
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. ' +
      'Check your key and signing method.',
  );
}

async function main() {
  const [directory, ...buckets] = process.argv.slice(2);
  if (!directory) {
    console.error('usage: node server.js <data-dir> <bucket>...');
    process.exit(2);
  }
  const s3rver = new S3rver({
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  await s3rver.configureBuckets();
  const handle = s3rver.callback();
  const server = http.createServer(async (req, res) => {
    const auth = req.headers['authorization'] || '';
    if (auth.startsWith('AWS4-HMAC-SHA256 Credential=' + ACCESS_KEY_ID + '/')) {
      const problem = signatureProblem(req);
      if (problem) {
        console.error(`refused ${req.method} ${req.url}: ${problem}`);
        req.resume();
        refuse(res);
        return;
      }
    }
    if (injectFault(req, res)) return;
    if (await rangeOfEmptyObject(s3rver.store, req, res)) return;
    handle(req, res);
  });
  server.listen(0, '127.0.0.1', () => {
    console.log(`listening ${server.address().port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
