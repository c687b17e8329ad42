import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { SERVICE_NODE_FLAGS } from '../bench/servers.js';
import { serviceInfo } from '../packages/service/src/info.js';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

test("the Dockerfile's default version label is the service's package version", () => {
  assert.match(read('Dockerfile'), new RegExp(`^ARG VERSION=${serviceInfo.version.replaceAll('.', '\\.')}$`, 'm'));
});

test('the Dockerfile names the official base images and runs node in exec form', () => {
  const dockerfile = read('Dockerfile');
  assert.match(dockerfile, /^FROM node:24-slim AS build$/m);
  assert.match(dockerfile, /^FROM gcr\.io\/distroless\/nodejs24-debian13:nonroot$/m);
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
  assert.deepEqual(
    cmd && JSON.parse(cmd),
    [...SERVICE_NODE_FLAGS, 'dist/main.mjs'],
    'the bench runs the service as the image does',
  );
  assert.doesNotMatch(dockerfile, /^# syntax=/m);
});

test('the Dockerfiles use nothing BuildKit alone understands, so docker build works where it is off', () => {
  for (const path of ['Dockerfile', 'examples/extra-modules/Dockerfile']) {
    const dockerfile = read(path);
    // RUN --mount, COPY --link / --chmod / --exclude / --parents, heredocs: the legacy builder refuses each.
    assert.doesNotMatch(
      dockerfile,
      /^(RUN|COPY|ADD)\s+(\S+\s+)*--(mount|link|chmod|exclude|parents|network|security)\b/m,
      path,
    );
    assert.doesNotMatch(dockerfile, /<<-?\s*['"]?[A-Z]+/, path);
  }
});

test('compose runs the image read-only, unprivileged, bounded and restarted', () => {
  const compose = parse(read('compose.yaml'));
  const service = compose.services['simple-rest'];
  assert.equal(service.image, 'simple-rest:latest');
  assert.deepEqual(service.ports, ['5000:5000']);
  assert.equal(service.read_only, true);
  assert.deepEqual(service.tmpfs, ['/tmp']);
  assert.deepEqual(service.security_opt, ['no-new-privileges:true']);
  assert.deepEqual(service.cap_drop, ['ALL']);
  assert.deepEqual(service.deploy.resources.limits, { cpus: '1.0', memory: '256M' });
  assert.equal(service.restart, 'unless-stopped');
  assert.deepEqual(service.healthcheck.test, ['CMD', '/nodejs/bin/node', 'dist/healthcheck.mjs']);
});

test('every script the image copies brings the local scripts it imports', () => {
  const copied = /^COPY ((?:scripts\/\S+\.mjs )+)scripts\/$/m.exec(read('Dockerfile'));
  assert.ok(copied, 'the Dockerfile copies its scripts in one COPY line');
  const scripts = new Set(copied[1]?.trim().split(' '));
  for (const script of scripts) {
    for (const [, imported] of read(script).matchAll(/^import [^;]*? from '\.\/([^']+)';$/gm)) {
      assert.ok(scripts.has(`scripts/${imported}`), `${script} imports ./${imported}, which the image does not copy`);
    }
  }
});
