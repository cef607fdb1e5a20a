// EventEmitter: listeners run synchronously in registration order; emit calls the listeners
// registered when it starts (one added during an emit waits; one removed is still called);
// once-listeners are removed before they run; 'error' without a listener throws.
const EventEmitter = require('events');
const log = (s) => console.log(s);
const e = new EventEmitter();
e.on('newListener', (ev) => log('newListener ' + ev));
const late = () => log('late');
const a = () => { log('a adds late'); e.on('x', late); };
const c = () => log('c (removed by b, still called this time)');
const b = () => { log('b removes c'); e.off('x', c); };
e.on('x', a);
e.once('x', () => log('once'));
e.prependListener('x', () => log('first (prepended)'));
e.on('x', b);
e.on('x', c);
log('emit 1 returned ' + e.emit('x'));
log('count after emit 1: ' + e.listenerCount('x'));
log('emit 2 returned ' + e.emit('x'));
log('emit with no listener returned ' + e.emit('nothing'));
e.on('removeListener', (ev) => log('removeListener ' + ev));
e.removeAllListeners('x');
log('events left: ' + e.eventNames().join(','));
try {
  e.emit('error', new Error('boom'));
} catch (err) {
  log('thrown: ' + err.message);
}
e.once('error', (err) => log('handled: ' + err.message));
log('emit error returned ' + e.emit('error', new Error('second')));
try {
  e.emit('error', 'just a string');
} catch (err) {
  log('thrown: ' + err.code);
}
e.on('t', () => { throw new Error('listener threw'); });
e.on('t', () => log('never: the throw skips later listeners'));
try {
  e.emit('t');
} catch (err) {
  log('caught: ' + err.message);
}
process.nextTick(() => log('tick: after all the synchronous emits'));
e.on('args', (x, y) => log('args ' + x + ' ' + y));
e.emit('args', 1, 'two');
log('end of main');
