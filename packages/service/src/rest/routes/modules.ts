import type { FastifyPluginAsync } from 'fastify';
import type { LiveModule } from '../../module-lifecycle.js';
import type { MountedModule } from '../../modules.js';
import { documentRoutes, namespaceOf } from '../plugins/openapi.js';
import { childLoggerWithTraceId } from '../server-options/trace-context.js';

/**
 * Each module's routes, in a scope of their own at its prefix: tagged with the module that serves
 * them (`config.servedBy`, which traces, metrics and the start-up check read), documented under
 * its tag, and every log line of their requests marked `"module": <package name>`.
 */
export const moduleRoutes: FastifyPluginAsync<{
  modules: readonly MountedModule[];
  instances: readonly LiveModule[];
}> = async (api, { modules, instances }) => {
  for (const [index, { module, prefix, packageName = module.name }] of modules.entries()) {
    const instance = instances.find((live) => live.module === module)?.instance;
    await api.register(
      async (scope) => {
        scope.setChildLoggerFactory(function moduleChildLogger(logger, bindings, logOptions, rawRequest) {
          return childLoggerWithTraceId.call(
            this,
            logger,
            { ...bindings, module: module.name },
            logOptions,
            rawRequest,
          );
        });
        scope.addHook(
          'onRoute',
          documentRoutes(module.openapi.tag, namespaceOf(packageName, index, modules), { api: true }),
        );
        scope.addHook('onRoute', (route) => {
          route.config = { ...route.config, servedBy: { name: module.name, version: module.version } };
        });
        if (instance) await scope.register(instance.routes);
      },
      { prefix },
    );
  }
};
