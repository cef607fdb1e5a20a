// events.on options: watermark checks (ERR_OUT_OF_RANGE), `close` events ending the iteration,
// and highWaterMark/lowWaterMark pausing and resuming a stream.
const { on, EventEmitter } = require('events');
const { Readable } = require('stream');
function t(name, f) {
  try { f(); console.log(name, 'ok'); } catch (e) { console.log(name, e.code, e.message); }
}
const show = (r) => (r.done ? 'done' : JSON.stringify(r.value));
t('highWaterMark 0', () => on(new EventEmitter(), 'x', { highWaterMark: 0 }));
t('lowWaterMark 2**53', () => on(new EventEmitter(), 'x', { lowWaterMark: 2 ** 53 }));
async function main() {
  const ee = new EventEmitter();
  const it = on(ee, 'data', { close: ['end', 'finish'] });
  console.log('listeners', ee.listenerCount('data'), ee.listenerCount('end'), ee.listenerCount('finish'));
  ee.emit('data', 'a');
  ee.emit('data', 'b');
  ee.emit('end');
  console.log('after end', ee.listenerCount('data'), ee.listenerCount('end'), ee.listenerCount('error'));
  console.log('next', show(await it.next()));
  console.log('next', show(await it.next()));
  console.log('next', show(await it.next()));

  const r = new Readable({ objectMode: true, read() {} });
  const it2 = on(r, 'data', { highWaterMark: 2, lowWaterMark: 1 });
  setImmediate(() => {
    console.log('flowing', r.readableFlowing);
    r.push('1');
    r.push('2');
    console.log('two queued, paused', r.isPaused());
    r.push('3');
    console.log('three queued, paused', r.isPaused());
    (async () => {
      for (let i = 0; i < 3; i++) {
        console.log('got', show(await it2.next()), 'paused', r.isPaused());
      }
      await it2.return();
      console.log('returned, data listeners', r.listenerCount('data'));
    })();
  });
}
main();
