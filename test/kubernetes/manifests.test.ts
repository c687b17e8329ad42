// The Kubernetes manifests, rendered offline with kubectl kustomize and validated against the
// Kubernetes JSON schemas that kubernetes-models ships; their probes, port, image and shutdown
// timings checked against the service and the dockerizer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_SETTINGS, parseModuleList, SERVICE_SETTINGS } from '../../packages/service/src/config/index.js';
import { LIFECYCLE_TIMEOUTS } from '../../packages/service/src/module-lifecycle.js';
import { resolveModules } from '../../packages/service/src/modules.js';
import { buildApp } from '../../packages/service/src/rest/app.js';

type Manifest = { kind: string; metadata: { name: string }; [key: string]: unknown };

/** The parts of a rendered Deployment these tests read. */
interface DeploymentView {
  spec: {
    replicas: number;
    strategy: { rollingUpdate: { maxUnavailable: number; maxSurge: number } };
    template: {
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsNonRoot: boolean; seccompProfile: { type: string } };
        topologySpreadConstraints: { topologyKey: string }[];
        containers: ContainerView[];
      };
    };
  };
}

interface Probe {
  httpGet: { path: string; port: string };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
}

interface ContainerView {
  image: string;
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  resources: { requests: { cpu?: string; memory?: string }; limits: { memory?: string } };
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { sleep: { seconds: number } } };
  securityContext: {
    readOnlyRootFilesystem: boolean;
    allowPrivilegeEscalation: boolean;
    capabilities: { drop: string[] };
  };
}

const models: Record<string, new (data: never) => { validate(): void }> = {
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  Namespace,
  PodDisruptionBudget,
  Service,
};

function render(path: string): Manifest[] {
  const output = execFileSync('kubectl', ['kustomize', path], { encoding: 'utf8' });
  return parseAllDocuments(output).map((document) => document.toJS() as Manifest);
}

const base = render('deploy/kubernetes');
const production = render('deploy/kubernetes/overlays/production');
const deploymentOf = (manifests: Manifest[]) =>
  manifests.find((manifest) => manifest.kind === 'Deployment') as unknown as DeploymentView;

function containerOf(manifests: Manifest[]): ContainerView {
  const [container] = deploymentOf(manifests).spec.template.spec.containers;
  assert.ok(container, 'the Deployment has a container');
  return container;
}

for (const [name, manifests] of [
  ['base', base],
  ['production overlay', production],
] as const) {
  test(`the ${name} renders offline and every object is valid against its Kubernetes schema`, () => {
    assert.ok(manifests.length >= 4);
    for (const manifest of manifests) {
      const Model = models[manifest.kind];
      assert.ok(Model, `no schema model for ${manifest.kind}`);
      assert.doesNotThrow(() => new Model(manifest as never).validate(), `${manifest.kind}/${manifest.metadata.name}`);
    }
  });
}

test('the base holds a Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget; production adds an Ingress', () => {
  assert.deepEqual(base.map((manifest) => manifest.kind).sort(), [
    'Deployment',
    'HorizontalPodAutoscaler',
    'PodDisruptionBudget',
    'Service',
  ]);
  assert.ok(production.some((manifest) => manifest.kind === 'Ingress'));
});

test("production's migration Job runs the image's `migrate` with the Deployment's MODULES, DATABASE_URL and image, locked down alike", () => {
  const job = production.find((manifest) => manifest.kind === 'Job') as unknown as {
    spec: { template: { spec: { restartPolicy: string; containers: (ContainerView & { args: string[] })[] } } };
  };
  assert.ok(job, 'production has a Job');
  const [migrate] = job.spec.template.spec.containers;
  assert.ok(migrate);
  assert.deepEqual(migrate.args, ['dist/main.mjs', 'migrate']);
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  const deployment = containerOf(production);
  const env = (container: ContainerView) => new Map(container.env.map((variable) => [variable.name, variable]));
  for (const name of ['MODULES', 'DATABASE_URL'])
    assert.deepEqual(env(migrate).get(name), env(deployment).get(name), name);
  assert.equal(migrate.image, deployment.image);
  assert.deepEqual(migrate.securityContext, deployment.securityContext);
});

test('the Deployment rolls without losing capacity and runs locked down', () => {
  const deployment = deploymentOf(base);
  assert.equal(deployment.spec.replicas, 3);
  assert.deepEqual(deployment.spec.strategy.rollingUpdate, { maxUnavailable: 0, maxSurge: 1 });
  const pod = deployment.spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  assert.ok(pod.topologySpreadConstraints.some((c) => c.topologyKey === 'kubernetes.io/hostname'));
  const container = containerOf(base);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
  assert.ok(container.resources.requests.cpu && container.resources.requests.memory);
  assert.ok(container.resources.limits.memory);
});

test("probes ask paths the service really serves, on the service's port", async (t) => {
  const container = containerOf(base);
  const port = container.ports.find((p) => p.name === 'http');
  assert.equal(port?.containerPort, SERVICE_SETTINGS.PORT.default);
  const app = await buildApp({ modules: await resolveModules(DEFAULT_SETTINGS.modules, {}) });
  t.after(() => app.close());
  for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
    assert.equal(probe.httpGet.port, 'http');
    const res = await app.inject({ url: probe.httpGet.path });
    assert.equal(res.statusCode, 200, probe.httpGet.path);
  }
  assert.equal(container.livenessProbe.httpGet.path, '/healthz');
  assert.equal(container.readinessProbe.httpGet.path, '/readyz');
});

test("the image is the dockerizer's: simple-rest:<the service's version>", () => {
  const version = JSON.parse(readFileSync('packages/service/package.json', 'utf8')).version;
  assert.equal(containerOf(base).image, `simple-rest:${version}`);
  assert.match(readFileSync('scripts/docker-build.sh', 'utf8'), /-t "simple-rest:\$version"/);
  assert.equal(containerOf(production).image, `registry.example.com/simple-rest:${version}`);
});

test('preStop, SHUTDOWN_DELAY_MS and SHUTDOWN_TIMEOUT_MS fit within terminationGracePeriodSeconds', () => {
  for (const manifests of [base, production]) {
    const pod = deploymentOf(manifests).spec.template.spec;
    const container = containerOf(manifests);
    const setting = (name: string) => Number(container.env.find((variable) => variable.name === name)?.value);
    const delayMs = setting('SHUTDOWN_DELAY_MS');
    const timeoutMs = setting('SHUTDOWN_TIMEOUT_MS');
    const preStopMs = container.lifecycle.preStop.sleep.seconds * 1000;
    assert.ok(delayMs > 0 && delayMs < timeoutMs, `${delayMs} < ${timeoutMs}`);
    // SIGTERM comes after preStop; the service then exits within SHUTDOWN_TIMEOUT_MS.
    assert.ok(preStopMs + timeoutMs < pod.terminationGracePeriodSeconds * 1000);
    // A readiness failure is seen within one period, well inside the preStop pause.
    assert.ok(container.readinessProbe.periodSeconds * container.readinessProbe.failureThreshold * 1000 < preStopMs);
  }
});

test("modules' ready() and close() limits fit the readiness probe and the shutdown budget", () => {
  for (const manifests of [base, production]) {
    const container = containerOf(manifests);
    const timeoutMs = Number(container.env.find((variable) => variable.name === 'SHUTDOWN_TIMEOUT_MS')?.value);
    // /readyz gives up on a module before the probe gives up on /readyz, so it answers 503 itself.
    assert.ok(LIFECYCLE_TIMEOUTS.readyMs < container.readinessProbe.timeoutSeconds * 1000);
    assert.ok(LIFECYCLE_TIMEOUTS.closeMs < timeoutMs, `${LIFECYCLE_TIMEOUTS.closeMs} < ${timeoutMs}`);
  }
});

test('production mounts the notes, their database URL from a Secret created apart, and names the provider of their tokens', async () => {
  const env = new Map(containerOf(production).env.map((variable) => [variable.name, variable]));
  const modules = env.get('MODULES')?.value ?? '';
  assert.ok(modules.split(',').includes('@simple-rest/notes'), modules);
  assert.deepEqual(env.get('DATABASE_URL'), {
    name: 'DATABASE_URL',
    valueFrom: { secretKeyRef: { name: 'simple-rest-database', key: 'database-url' } },
  });
  assert.equal(production.filter((manifest) => manifest.kind === 'Secret').length, 0, 'no Secret is committed');
  // The notes' routes need tokens: the pod names its provider, or it would refuse to start.
  assert.match(env.get('AUTH_ISSUER')?.value ?? '', /^https:\/\//);
  assert.ok(env.get('AUTH_AUDIENCE')?.value);
  assert.equal(env.get('AUTH_DISABLED'), undefined);
  // The MODULES value is one the service accepts, the notes keep data in the host's database, and the
  // service reads the variable the Secret fills.
  const mounted = await resolveModules(parseModuleList(modules), {});
  assert.ok(mounted.some(({ module }) => module.database !== undefined));
  assert.ok(Object.hasOwn(SERVICE_SETTINGS, 'DATABASE_URL'));
});
