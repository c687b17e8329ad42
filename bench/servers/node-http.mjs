// The practical ceiling: the four contract routes on bare node:http, nothing else.
import { createServer } from 'node:http';

const fixed = new Map([
  ['/', 'Hallo from CORE!'],
  ['/blueprint/', 'Hallo!'],
]);

createServer((request, response) => {
  const url = request.url ?? '/';
  let body = fixed.get(url);
  const named = body === undefined ? /^\/(blueprint\/)?([^/]+)\/$/.exec(url) : null;
  if (named) {
    const name = decodeURIComponent(named[2]);
    body = named[1] ? `Hallo ${name}!` : `Hallo ${name} from CORE!`;
  }
  if (body === undefined) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}).listen(Number(process.env.PORT), '127.0.0.1');
