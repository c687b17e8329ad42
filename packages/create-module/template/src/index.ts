import { defineModule } from '@simple-rest/module-contract';
import { ItemStore } from './core/items.js';
import { itemRoutes } from './rest/routes.js';

export { type Item, ItemStore, StoreFullError } from './core/items.js';

export default defineModule({
  packageJson: new URL('../package.json', import.meta.url),
  defaultPrefix: '/template-module',
  openapi: { tag: 'template-module', description: 'Items, kept in memory' },
  // Read from the environment and validated by the host at start-up, with its own settings.
  settings: {
    TEMPLATE_MODULE_MAX_ITEMS: {
      type: 'integer',
      default: 1000,
      minimum: 1,
      maximum: 1_000_000,
      description: 'the most items kept; a PUT of a new item past it gets 409',
    },
  },
  // Called for every app that mounts the module: each gets a store of its own.
  create: ({ settings, log }) => {
    const store = new ItemStore(settings.TEMPLATE_MODULE_MAX_ITEMS);
    return {
      routes: itemRoutes(store),
      close: () => log.info({ items: store.list().length }, 'items dropped: they are kept in memory only'),
    };
  },
});
