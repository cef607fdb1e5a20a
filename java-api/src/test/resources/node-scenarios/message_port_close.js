// MessagePort close: closing one side emits 'close' on both ports (after messages already
// queued are delivered); postMessage on a closed port is silently dropped; closing twice is a
// no-op; 'close' comes from the handle's close callback (after the immediates of that
// iteration), the peer's after it, also on a port nobody listens to for messages. (The peer's
// 'close' against timers is racy in Node: no timers here.) hasRef follows Node's rules: the
// first 'message' listener refs, the last one removed unrefs, ref()/unref() act directly.
const { MessageChannel } = require('worker_threads');
const log = (s) => console.log(s);
const { port1, port2 } = new MessageChannel();
port1.on('close', () => log('port1 close'));
port2.on('close', () => {
  log('port2 close');
  const c = new MessageChannel();
  c.port1.on('close', () => log('c.port1 close'));
  c.port2.on('close', () => log('c.port2 close (it had no message listener)'));
  c.port2.ref();
  log('c.port2 hasRef ' + c.port2.hasRef() + ' (ref() without a message listener)');
  c.port1.close();
  setImmediate(() => log('immediate queued after c.port1.close()'));
  process.nextTick(() => log('tick after c.port1.close()'));
});
port2.on('message', (m) => {
  log('port2 message ' + m);
  process.nextTick(() => log('tick after ' + m));
});
const f = () => {};
port1.unref();
port1.on('message', f);
log('port1 hasRef after unref() then on(message) ' + port1.hasRef());
port1.off('message', f);
log('port1 hasRef after the last listener went ' + port1.hasRef());
port1.postMessage('one');
port1.postMessage('two');
port1.close();
port1.close();
port1.postMessage('after close (dropped)');
Promise.resolve().then(() => log('promise'));
process.nextTick(() => log('tick'));
log('main');
