import { defineModule } from '@simple-rest/module-contract';
import { blueprintRoutes } from './rest/routes.js';

export { sayHallo } from './core/hallo.js';
export { nameParams } from './rest/routes.js';

export default defineModule({
  packageJson: new URL('../package.json', import.meta.url),
  defaultPrefix: '/blueprint',
  routes: blueprintRoutes,
  openapi: { tag: 'blueprint', description: "The tutorial's blueprint: greets whoever asks" },
});
