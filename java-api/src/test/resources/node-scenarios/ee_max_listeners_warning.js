// More listeners than getMaxListeners() for one event: a MaxListenersExceededWarning through
// process.emitWarning (so 'warning' listeners get it, on a later tick), once per event name.
const EventEmitter = require('events');
const log = (s) => console.log(s);
process.on('warning', (w) => log('warning ' + w.name + ': ' + w.message));
const e = new EventEmitter();
for (let i = 0; i < 12; i++) e.on('x', () => {});
log('added 12 x listeners');
e.setMaxListeners(1);
e.on('y', () => {});
e.on('y', () => {});
log('added 2 y listeners');
process.nextTick(() => log('tick queued after the warnings'));
const f = new EventEmitter();
f.setMaxListeners(0);
for (let i = 0; i < 20; i++) f.on('z', () => {});
log('main done');
