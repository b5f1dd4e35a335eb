// The bench's baseline: a plain node:http server answering one fixed response from memory.
// Started by bench/article-page.ts as a child process; it is the ceiling the app is compared with.
//   BODY_FILE     file holding the exact bytes to answer with
//   CONTENT_TYPE  the content-type header to send
//   PORT          port on 127.0.0.1
import fs from 'node:fs';
import http from 'node:http';

const bodyFile = process.env.BODY_FILE;
const port = Number(process.env.PORT);
if (!bodyFile || !Number.isInteger(port) || port <= 0) {
  console.error('baseline-server: BODY_FILE and PORT are required');
  process.exit(2);
}
const body = fs.readFileSync(bodyFile);
const headers = {
  'content-type': process.env.CONTENT_TYPE || 'text/html; charset=utf-8',
  'content-length': String(body.length),
};

const server = http.createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(port, '127.0.0.1');

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
