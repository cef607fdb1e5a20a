// timers/promises with an AbortSignal: abort() clears the timer and rejects with Node's AbortError
// (ABORT_ERR, cause = the signal's reason); an already aborted signal gives a rejected promise; an
// abort after the timer fired changes nothing; ref: false lets the process end.
const log = (s) => console.log(s);
const tp = require('timers/promises');
const show = (label) => (e) => log(label + ' ' + e.name + ' ' + e.code + ' ' + e.message + ' | ' + String(e)
  + ' | cause ' + (e.cause && e.cause.name ? e.cause.name : e.cause));
const ac = new AbortController();
tp.setTimeout(20, 'never', { signal: ac.signal }).then(() => log('never'), show('timeout rejected'));
tp.setImmediate('never', { signal: ac.signal }).then(() => log('never'), show('immediate rejected'));
tp.setTimeout(1, 'pre', { signal: AbortSignal.abort('why') }).catch(show('pre-aborted timeout'));
tp.setImmediate('pre', { signal: AbortSignal.abort() }).catch(show('pre-aborted immediate'));
Promise.resolve().then(() => log('microtask queued before abort'));
ac.abort();
log('after abort, sync');
const late = new AbortController();
tp.setTimeout(5, 'fired', { signal: late.signal }).then((v) => log('late fulfilled ' + v), show('late rejected'));
setTimeout(() => {
  log('same list, after the promise timer: abort');
  late.abort('too late');
  log('late signal aborted ' + late.signal.aborted);
}, 5);
const withSignal = new AbortController();
const plain = tp.setTimeout(60, 'plain');
const signalled = tp.setTimeout(60, 'signalled', { signal: withSignal.signal });
plain.then((v) => log('fulfilled ' + v));
signalled.then((v) => log('fulfilled ' + v));
tp.setTimeout(100000, 'unref', { ref: false }).then(() => log('never (unref)'));
process.on('exit', () => log('exit'));
