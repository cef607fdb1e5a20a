// uncaughtException from different places, with a handler that keeps the process going: a
// throwing nextTick (the ticks queued after it still run, in order), an fs callback, an
// unhandled stream 'error', EventEmitter 'error' with a non-Error value (ERR_UNHANDLED_ERROR)
// and without any value, a throwing setImmediate (the next immediate still runs).
const fs = require('fs');
const { Readable } = require('stream');
const EventEmitter = require('events');
const log = (s) => console.log(s);
process.on('uncaughtException', (e, origin) => {
  log('uncaught ' + (e && e.code ? e.code + ' ' : '') + (e && e.message !== undefined ? e.message : String(e)) + ' / ' + origin);
});
process.nextTick(() => log('tick 1'));
process.nextTick(() => { throw new Error('tick 2 throws'); });
process.nextTick(() => log('tick 3'));
Promise.resolve().then(() => log('promise'));
setTimeout(() => {
  fs.stat(__filename, () => {
    log('stat callback throws');
    process.nextTick(() => log('tick queued before the throw'));
    throw new Error('from fs callback');
  });
}, 1);
setTimeout(() => {
  const r = new Readable({ read() {} });
  r.destroy(new Error('stream failed'));
  r.on('close', () => log('stream close'));
}, 20);
setTimeout(() => {
  const e = new EventEmitter();
  e.emit('error', 'just a string');
}, 30);
setTimeout(() => {
  const e = new EventEmitter();
  e.emit('error');
}, 40);
setTimeout(() => {
  setImmediate(() => { throw new Error('immediate 1 throws'); });
  setImmediate(() => log('immediate 2'));
}, 50);
log('main');
