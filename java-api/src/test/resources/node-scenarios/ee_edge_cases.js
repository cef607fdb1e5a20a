// EventEmitter corners: 'newListener' fires before the add (count before); a listener added
// during emit does not run in that emit; emit returns false with no listeners;
// removeAllListeners(ev) emits 'removeListener' for each, the last added first; removeAll()
// removes 'removeListener' itself last; setMaxListeners(-1) throws ERR_OUT_OF_RANGE.
const EventEmitter = require('events');
const log = (s) => console.log(s);
const e = new EventEmitter();
const a = () => log('a');
const b = () => {
  log('b adds c');
  e.on('x', c);
};
const c = () => log('c');
e.on('newListener', (ev) => log('newListener ' + ev + ' count before ' + e.listenerCount(ev)));
e.on('x', a);
e.once('x', b);
log('emit 1 -> ' + e.emit('x'));
log('emit 2 -> ' + e.emit('x'));
log('emit y -> ' + e.emit('y'));
e.on('removeListener', (ev, fn) => log('removeListener ' + ev + ' ' + (fn === a ? 'a' : fn === c ? 'c' : fn.name || '?')));
e.removeAllListeners('x');
log('x count ' + e.listenerCount('x'));
try { e.setMaxListeners(-1); } catch (err) { log('setMaxListeners(-1): ' + err.code + ' | ' + err.message); }
log('eventNames ' + e.eventNames().join(','));
e.removeAllListeners();
log('eventNames after removeAll ' + JSON.stringify(e.eventNames()));
