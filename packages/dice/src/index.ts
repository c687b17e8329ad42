import { defineModule } from '@simple-rest/module-contract';
import { diceRoutes } from './rest/routes.js';

export * from './core/dice.js';

export default defineModule({
  packageJson: new URL('../package.json', import.meta.url),
  defaultPrefix: '/dice',
  routes: diceRoutes,
  openapi: { tag: 'dice', description: 'Rolls dice in NdM notation' },
});
