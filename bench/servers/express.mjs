// The four contract routes on Express 5, its idiomatic way.
import express from 'express';

const app = express();
const blueprint = express.Router({ strict: true });
blueprint.get('/', (_request, response) => response.type('text/plain').send('Hallo!'));
blueprint.get('/:name/', (request, response) => response.type('text/plain').send(`Hallo ${request.params.name}!`));

const root = express.Router({ strict: true });
root.get('/', (_request, response) => response.type('text/plain').send('Hallo from CORE!'));
root.use('/blueprint', blueprint);
root.get('/:name/', (request, response) => response.type('text/plain').send(`Hallo ${request.params.name} from CORE!`));

app.use(root);
app.listen(Number(process.env.PORT), '127.0.0.1');
