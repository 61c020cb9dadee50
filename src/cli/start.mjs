// `npm start`: runs the compiled bot (dist/), compiling it first when dist/ is missing or stale, so a fresh
// clone still needs only `npm install && npm start`. The bot runs in this process (no second node start),
// so `node --enable-source-maps` in package.json maps its stack traces to the .ts lines.
await import('./build-if-stale.mjs');
await import('../../dist/main.js');
