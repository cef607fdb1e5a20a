// MessageChannel: messages arrive in order, each in its own callback (ticks and microtasks after
// each), after the main module's ticks; a message posted from a handler comes after the queued ones.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
const { port1, port2 } = new MessageChannel();
let n = 0;
port2.on('message', (m) => {
  log('message ' + m);
  process.nextTick(() => log('tick after ' + m));
  Promise.resolve().then(() => log('promise after ' + m));
  if (m === 'a') port1.postMessage('c (posted by a handler)');
  if (++n === 3) port2.close();
});
port1.postMessage('a');
port1.postMessage('b');
process.nextTick(() => log('tick from main'));
log('main');
