// events.errorMonitor listeners see an 'error' before the 'error' listeners and do not handle it
// (with no 'error' listener emit still throws, after them); rawListeners() gives once-wrappers
// whose .listener is the listener, calling one removes it; removeListener accepts the wrapper.
const log = (s) => console.log(s);
const { EventEmitter, errorMonitor } = require('events');
const e = new EventEmitter();
e.on(errorMonitor, (err) => log('monitor ' + err.message));
try {
  e.emit('error', new Error('first'));
} catch (err) {
  log('thrown after the monitor ' + err.message);
}
e.on('error', (err) => log('error listener ' + err.message));
e.prependListener(errorMonitor, (err) => log('monitor prepended ' + err.message));
log('emit returns ' + e.emit('error', new Error('second')));
log('listenerCount error ' + e.listenerCount('error') + ' monitor ' + e.listenerCount(errorMonitor));
log('eventNames ' + e.eventNames().map(String).join(','));
const x = new EventEmitter();
const a = () => log('a called');
const b = (v) => log('b called ' + v);
x.on('removeListener', (name, fn) => log('removeListener ' + name + ' ' + (fn === a ? 'a' : fn === b ? 'b' : '?')));
x.on('ev', a);
x.once('ev', b);
const raw = x.rawListeners('ev');
log('raw[0] is a ' + (raw[0] === a) + ', raw[1] is b ' + (raw[1] === b) + ', raw[1].listener is b ' + (raw[1].listener === b));
log('listeners()[1] is b ' + (x.listeners('ev')[1] === b));
raw[1]('direct');
log('after calling the wrapper ' + x.listenerCount('ev'));
raw[1]('again');
x.once('ev', b);
x.removeListener('ev', x.rawListeners('ev')[1]);
log('removed by wrapper ' + x.listenerCount('ev'));
x.emit('ev', 1);
log('static listenerCount ' + EventEmitter.listenerCount(x, 'ev'));
