// internal__http_outgoing.js: ServerResponse's header accessors and validation against the host
// Node's http.ServerResponse. (The framing writes through the runner's Buffer, whose natives the
// bridge double lacks; sidecar/tests/all/net_servers.rs checks it on the wire.)
import assert from 'node:assert/strict';
import nodeHttp from 'node:http';
import { test } from 'node:test';
import { ServerResponse, validateHeaderName } from '../lib/internal__http_outgoing.js';

test('header accessors and errors match Node', () => {
  const res = new ServerResponse({ method: 'GET', httpVersionMinor: 1, headers: {} });
  const node = new nodeHttp.ServerResponse({
    method: 'GET',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    headers: {},
  });
  for (const r of [res, node]) {
    r.setHeader('Content-Type', 'text/plain');
    r.setHeader('X-List', ['a', 'b']);
    r.removeHeader('x-list');
  }
  assert.equal(res.getHeader('content-type'), node.getHeader('content-type'));
  assert.deepEqual(res.getHeaderNames(), node.getHeaderNames());
  assert.equal(res.hasHeader('X-LIST'), node.hasHeader('X-LIST'));
  for (const bad of ['', 'a b', 'a\r\n']) {
    assert.throws(() => validateHeaderName(bad), { code: 'ERR_INVALID_HTTP_TOKEN' });
    assert.throws(() => nodeHttp.validateHeaderName(bad), { code: 'ERR_INVALID_HTTP_TOKEN' });
  }
  assert.throws(() => res.setHeader('x', 'a\r\nb'), { code: 'ERR_INVALID_CHAR' });
  assert.throws(() => node.setHeader('x', 'a\r\nb'), { code: 'ERR_INVALID_CHAR' });
});
