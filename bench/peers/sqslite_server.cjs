// sqslite as its CLI starts it, but with fastify's per-request logging off (the CLI logs every
// request to stdout, which would measure pino rather than the queue).
//   node sqslite_server.cjs PORT
const sqslite = require('sqslite');

sqslite({ logger: false }).listen({ host: '127.0.0.1', port: Number(process.argv[2]) }, (err) => {
  if (err) throw err;
  console.log('Ready.');
});
