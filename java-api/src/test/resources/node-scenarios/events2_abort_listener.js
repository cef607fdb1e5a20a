// events.addAbortListener: the listener runs once inside abort() with the event, in order with
// the signal's other listeners; disposing removes it; with an aborted signal it runs on a
// microtask with no argument; null arguments throw ERR_INVALID_ARG_TYPE.
const log = (s) => console.log(s);
const events = require('events');
const ac = new AbortController();
events.addAbortListener(ac.signal, (e) => log('listener ' + e.type));
ac.signal.addEventListener('abort', () => log('second'));
const d = events.addAbortListener(ac.signal, () => log('disposed (never)'));
d[Symbol.dispose]();
log('listeners ' + events.getEventListeners(ac.signal, 'abort').length);
Promise.resolve().then(() => log('microtask queued first'));
events.addAbortListener(AbortSignal.abort(), (e) => log('pre-aborted, argument ' + e));
ac.abort();
log('after abort, listeners ' + events.getEventListeners(ac.signal, 'abort').length);
try {
  events.addAbortListener(undefined, () => {});
} catch (e) {
  log(String(e));
}
try {
  events.addAbortListener(ac.signal, null);
} catch (e) {
  log(String(e));
}
