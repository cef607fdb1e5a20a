// events.setMaxListeners/getMaxListeners on an AbortSignal (the warning at limit + 1, re-armed by
// a new limit, 0 for none), its argument errors; addEventListener's { signal } option: the
// listener removed when that signal aborts, nothing added with an aborted one.
const log = (s) => console.log(s);
const events = require('events');
process.on('warning', (w) => log('warning ' + w.name + ': ' + w.message));
const s = new AbortController().signal;
log('default max ' + events.getMaxListeners(s));
events.setMaxListeners(2, s);
log('max ' + events.getMaxListeners(s));
for (let i = 0; i < 4; i++) s.addEventListener('abort', () => {});
events.setMaxListeners(4, s);
s.addEventListener('abort', () => {});
events.setMaxListeners(0, s);
for (let i = 0; i < 20; i++) s.addEventListener('abort', () => {});
try {
  events.setMaxListeners(-1, s);
} catch (e) {
  log(String(e));
}
const e = new events.EventEmitter();
events.setMaxListeners(1, e, s);
log('emitter max ' + e.getMaxListeners() + ' signal max ' + events.getMaxListeners(s));
const remover = new AbortController();
const target = new AbortController();
target.signal.addEventListener('abort', () => log('never: removed by the other signal'), { signal: remover.signal });
target.signal.addEventListener('abort', () => log('kept listener'), { once: true, signal: new AbortController().signal });
log('target ' + events.getEventListeners(target.signal, 'abort').length + ' remover '
  + events.getEventListeners(remover.signal, 'abort').length);
remover.abort();
log('after remover.abort: target ' + events.getEventListeners(target.signal, 'abort').length + ' remover '
  + events.getEventListeners(remover.signal, 'abort').length);
target.signal.addEventListener('abort', () => log('never: aborted option signal'), { signal: AbortSignal.abort() });
log('with an aborted signal: ' + events.getEventListeners(target.signal, 'abort').length);
target.abort();
log('main end');
