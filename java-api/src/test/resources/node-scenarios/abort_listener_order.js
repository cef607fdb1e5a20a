// AbortSignal's 'abort' listeners: run synchronously inside abort(), in registration order; the
// onabort slot keeps the place of its first assignment (null disables it); a duplicate
// addEventListener is ignored; once listeners are removed; a listener removed during the dispatch
// is skipped, one added during it runs only if the walk reaches it; a throwing listener does not
// stop the others and reaches 'uncaughtException' on a later tick; a second abort does nothing.
const log = (s) => console.log(s);
process.on('uncaughtException', (e) => log('uncaught ' + e.message));
const ac = new AbortController();
const s = ac.signal;
log('aborted ' + s.aborted + ' reason ' + s.reason);
s.onabort = () => log('onabort first (replaced)');
const dup = (e) => log('dup type ' + e.type + ' trusted ' + e.isTrusted + ' target ' + (e.target === s));
s.addEventListener('abort', dup);
s.addEventListener('abort', dup);
s.addEventListener('abort', () => log('once listener'), { once: true });
const removed = () => log('removed (never)');
s.addEventListener('abort', () => {
  log('remover');
  s.removeEventListener('abort', removed);
  s.addEventListener('abort', () => log('added during dispatch'));
});
s.addEventListener('abort', removed);
s.addEventListener('abort', () => {
  log('thrower');
  throw new Error('listener boom');
});
s.addEventListener('abort', () => log('after thrower, aborted ' + s.aborted));
s.onabort = () => log('onabort second, in the first slot');
process.nextTick(() => log('tick queued before abort'));
log('before abort');
ac.abort();
log('after abort ' + s.aborted);
const r = s.reason;
log('reason ' + r.name + ' | ' + r.message + ' | ' + r.code + ' | ' + String(r) + ' | ' + (r instanceof Error));
ac.abort('second');
log('still ' + s.reason.name);
try {
  s.throwIfAborted();
} catch (e) {
  log('throwIfAborted threw the reason ' + (e === r));
}
const late = new AbortController();
late.signal.addEventListener('abort', () => log('late 1'));
late.signal.addEventListener('abort', () => {
  log('late 2 adds two');
  late.signal.addEventListener('abort', () => log('late 3 (added by 2, after the last)'));
});
late.abort('why');
log('late reason ' + late.signal.reason);
const nul = new AbortController();
nul.signal.onabort = null;
nul.signal.addEventListener('abort', () => log('nul listener'));
nul.signal.onabort = () => log('nul onabort (slot made by the null assignment)');
log('onabort getter ' + (typeof nul.signal.onabort));
nul.abort();
const off = new AbortController();
off.signal.onabort = () => log('off onabort (never)');
off.signal.onabort = null;
log('onabort after null ' + off.signal.onabort);
off.abort();
const twice = () => log('once then plain: one call');
const tw = new AbortController();
tw.signal.addEventListener('abort', twice, { once: true });
tw.signal.addEventListener('abort', twice);
tw.abort();
log('main end');
