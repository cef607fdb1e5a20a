// events.on(emitter, name, {signal}) as an async iterator (queued emissions, 'error' rejects
// once then done, abort rejects with AbortError, return() ends it, throw(non-error) is refused)
// and captureRejections (a rejected promise from a listener goes to 'error' or to
// Symbol.for('nodejs.rejection'); without the option it is an unhandled rejection).
const { on, EventEmitter } = require('events');
const show = (r) => (r.done ? 'done' : JSON.stringify(r.value));
async function main() {
  const ee = new EventEmitter();
  const it = on(ee, 'x');
  console.log('listeners', ee.listenerCount('x'), ee.listenerCount('error'));
  ee.emit('x', 1);
  ee.emit('x', 2, 'b');
  console.log('next', show(await it.next()));
  console.log('next', show(await it.next()));
  const waiting = it.next();
  ee.emit('x', 3);
  console.log('awaited', show(await waiting));
  ee.emit('error', new Error('boom'));
  console.log('after error listeners', ee.listenerCount('x'), ee.listenerCount('error'));
  try { await it.next(); } catch (e) { console.log('rejected', e.message); }
  console.log('then', show(await it.next()));

  const ac = new AbortController();
  const it2 = on(ee, 'y', { signal: ac.signal });
  const p = it2.next();
  ac.abort();
  try { await p; } catch (e) { console.log('aborted', e.name, e.code, e.message); }
  console.log('after abort', show(await it2.next()), ee.listenerCount('y'));
  try { on(ee, 'y', { signal: ac.signal }); } catch (e) { console.log('already aborted throws', e.name); }

  const it3 = on(ee, 'z');
  const p3 = it3.next();
  console.log('return', show(await it3.return()), show(await p3), ee.listenerCount('z'));
  try { it3.throw(null); } catch (e) { console.log('throw null', e.code, e.message); }

  const it4 = on(ee, 'w');
  ee.emit('w', 'q1');
  const got = [];
  setImmediate(() => { ee.emit('w', 'q2'); ee.emit('w', 'end'); });
  for await (const [v] of it4) {
    got.push(v);
    if (v === 'end') break;
  }
  console.log('for await', got.join(','), ee.listenerCount('w'));

  const c1 = new EventEmitter({ captureRejections: true });
  c1.on('x', async (v) => { throw new Error('bad ' + v); });
  c1.on('error', (err) => console.log('error event', err.message));
  c1.emit('x', 1);
  const c2 = new EventEmitter({ captureRejections: true });
  c2[Symbol.for('nodejs.rejection')] = (err, event, ...args) => console.log('rejection handler', err.message, event, args.join('+'));
  c2.on('y', async () => { throw new Error('bad y'); });
  c2.emit('y', 'a', 'b');
  process.on('unhandledRejection', (r) => console.log('unhandled', r.message));
  const c3 = new EventEmitter();
  c3.on('z', async () => { throw new Error('bad z'); });
  c3.on('error', () => console.log('not expected'));
  c3.emit('z');
  console.log('default', EventEmitter.captureRejections);
  EventEmitter.captureRejections = true;
  const c4 = new EventEmitter();
  EventEmitter.captureRejections = false;
  c4.on('e', async () => { throw new Error('bad e'); });
  c4.on('error', (err) => console.log('default-captured', err.message));
  c4.emit('e');
  process.nextTick(() => console.log('tick after emits'));
}
main();
