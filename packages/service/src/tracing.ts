import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { context, propagation, type Span, SpanKind, type SpanStatus, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  type Sampler,
  type Span as SdkSpan,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import {
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { FastifyPluginCallback, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { TracingSettings } from './config/index.js';
import { traceIdOf } from './rest/logging/trace-context.js';

/** The module that serves a route, as the host tags it in the route's config (rest/routes/modules.ts). */
export interface ServedBy {
  readonly name: string;
  readonly version: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    servedBy?: ServedBy;
  }
}

// Attribute names for the module that served a request; OpenTelemetry has none of its own.
const ATTR_MODULE_NAME = 'simple_rest.module.name';
const ATTR_MODULE_VERSION = 'simple_rest.module.version';

export interface Tracing {
  /** Registered first in the app: a server span per request, named by its route template. */
  readonly plugin: FastifyPluginCallback;
  /** Exports the spans still buffered, then stops; run once the server has closed. */
  shutdown(): Promise<void>;
}

function samplerOf(settings: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerRatio);
  const samplers: Record<TracingSettings['sampler'], Sampler> = {
    always_on: new AlwaysOnSampler(),
    always_off: new AlwaysOffSampler(),
    traceidratio: ratio,
    parentbased_always_on: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    parentbased_always_off: new ParentBasedSampler({ root: new AlwaysOffSampler() }),
    parentbased_traceidratio: new ParentBasedSampler({ root: ratio }),
  };
  return samplers[settings.sampler];
}

/**
 * Names the server span `GET /blueprint/:name/` (the route template, never the raw URL), adds the
 * attributes @fastify/otel leaves out, and puts the span's ids on every log line of the request.
 */
function describeRequest(span: Span, request: FastifyRequest): void {
  const route = request.routeOptions.url;
  span.updateName(route === undefined ? request.method : `${request.method} ${route}`);
  span.setAttribute(ATTR_URL_SCHEME, request.protocol);
  const servedBy = request.routeOptions.config.servedBy;
  if (servedBy) {
    span.setAttribute(ATTR_MODULE_NAME, servedBy.name);
    span.setAttribute(ATTR_MODULE_VERSION, servedBy.version);
  }
  const { traceId, spanId } = span.spanContext();
  // The child logger already carries trace_id when the request brought a valid traceparent
  // (trace-context.ts), which is the span's too: a key is never written twice.
  const carried = traceIdOf(request.headers) !== undefined;
  // Added to the request's logger in place (a new child per request would cost more); a logger
  // without bindings (none configured, in tests) logs nothing anyway.
  (request.log as Partial<Pick<Logger, 'setBindings'>>).setBindings?.(
    carried ? { span_id: spanId } : { trace_id: traceId, span_id: spanId },
  );
}

/**
 * The HTTP semantic conventions' status rule for server spans: a 5xx is an error, a 4xx is the
 * client's and leaves the status unset. @fastify/otel marks every error Fastify handles, a
 * 400 for a bad parameter included; this undoes that as the span ends.
 */
const clientErrorsAreNotServerErrors: SpanProcessor = {
  onStart: () => undefined,
  onEnding(span: SdkSpan) {
    const status = Number(span.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]);
    // setStatus ignores UNSET, so the ending span's status is written directly, as a processor may.
    if (span.kind === SpanKind.SERVER && status >= 400 && status < 500)
      (span as { status: SpanStatus }).status = { code: SpanStatusCode.UNSET };
  },
  onEnd: () => undefined,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/**
 * A module's `node:http` requests carry the trace on too: Node 22.12 and later announce each
 * request on this channel before its headers are sent (the image runs Node 24). OpenTelemetry's
 * http instrumentation patches `require` instead, which never runs in the bundle. Node 20 has no
 * such channel, so there the subscription is never called.
 */
function propagateOnHttpRequests(): void {
  subscribe('http.client.request.created', (message) => {
    const { request } = message as { request: ClientRequest };
    propagation.inject(context.active(), request, {
      set: (carrier, key, value) => carrier.setHeader(key, value),
    });
  });
}

/**
 * Starts OpenTelemetry's tracer for this process: W3C trace context in and out, a server span
 * per request through @fastify/otel (a Fastify plugin, so it works in the esbuild bundle, where
 * require hooks never run), trace context carried on by a module's outgoing fetch (undici's
 * diagnostics channels, also hook-free), and spans exported over OTLP/HTTP in batches.
 * Imported only when tracing is on: with it off, none of this is loaded.
 */
export function startTracing(settings: TracingSettings, service: ServedBy): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      ...settings.resourceAttributes,
      [ATTR_SERVICE_NAME]: settings.serviceName ?? settings.resourceAttributes[ATTR_SERVICE_NAME] ?? service.name,
      [ATTR_SERVICE_VERSION]: service.version,
      // Which process, so a worker's spans can be told apart in cluster mode.
      'process.pid': process.pid,
    }),
    sampler: samplerOf(settings),
    spanProcessors: [
      clientErrorsAreNotServerErrors,
      new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl })),
    ],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const fastifyInstrumentation = new FastifyOtelInstrumentation({
    registerOnInitialization: false,
    requestHook: describeRequest,
    // A span per hook would be one per cross-cutting step of every request (five or more): the
    // server span and the handler's are what a trace needs, at a fraction of the export.
    instrumentHooks: false,
  });
  fastifyInstrumentation.setTracerProvider(provider);
  registerInstrumentations({ tracerProvider: provider, instrumentations: [new UndiciInstrumentation()] });
  propagateOnHttpRequests();
  return {
    plugin: fastifyInstrumentation.plugin(),
    shutdown: () => provider.shutdown(),
  };
}
