// The four contract routes on Hono with @hono/node-server. In strict mode a sub-app's `/`
// mounted at /blueprint would be `/blueprint`, so the routes are declared in full.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono({ strict: true });
app.get('/', (c) => c.text('Hallo from CORE!'));
app.get('/blueprint/', (c) => c.text('Hallo!'));
app.get('/blueprint/:name/', (c) => c.text(`Hallo ${c.req.param('name')}!`));
app.get('/:name/', (c) => c.text(`Hallo ${c.req.param('name')} from CORE!`));

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
