// EventEmitter corner cases: a once listener removed by its original function, a nested emit
// from a listener, prependOnceListener, removing a later listener during emit (still called),
// 'removeListener' for a once listener after it fired, 'error' with a once listener.
const EventEmitter = require('events');
const log = (s) => console.log(s);
const names = new Map();
const name = (fn) => names.get(fn) || names.get(fn.listener) || '?';
const e = new EventEmitter();
e.on('removeListener', (ev, fn) => log('removeListener ' + ev + ' ' + name(fn)));
const onceA = () => log('onceA (never)');
names.set(onceA, 'onceA');
e.once('x', onceA);
e.removeListener('x', onceA);
log('after removing onceA: ' + e.listenerCount('x'));
let depth = 0;
const nested = (v) => {
  log('nested ' + v + ' depth ' + depth);
  if (depth++ === 0) e.emit('x', v + 1);
};
names.set(nested, 'nested');
const later = () => log('later');
names.set(later, 'later');
const first = (v) => log('first once ' + v);
names.set(first, 'first');
const remover = () => {
  log('remover');
  e.removeListener('x', later);
};
names.set(remover, 'remover');
e.on('x', nested);
e.prependOnceListener('x', first);
e.on('x', remover);
e.on('x', later);
log('listeners: ' + e.listeners('x').map(name).join(','));
e.emit('x', 1);
log('listeners after: ' + e.listeners('x').map(name).join(','));
e.emit('x', 10);
const p = new EventEmitter();
p.once('error', (err) => log('error once ' + err.message));
p.emit('error', new Error('e1'));
try {
  p.emit('error', new Error('e2'));
} catch (err) {
  log('thrown ' + err.message);
}
p.on('newListener', (ev) => log('newListener ' + ev + ' count ' + p.listenerCount(ev)));
p.on('y', () => {});
p.once('y', () => {});
log('y count ' + p.listenerCount('y'));
