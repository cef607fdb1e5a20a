// timers/promises setInterval as an async iterator: nothing starts before the first next(); a
// for await loop of three ticks and a break (return() clears the interval, 'loop done' two turns
// later); abort while a next() waits (rejected four turns later with AbortError and its cause,
// a queued next() then done); an aborted signal rejects the first next(); return() before the
// start and next() after; an unref'd interval never fires here.
const log = (s) => console.log(s);
const tp = require('timers/promises');
const chain = (label, n) => {
  let p = Promise.resolve();
  for (let i = 1; i <= n; i++) p = p.then(() => log(label + i));
};
const show = (r) => JSON.stringify(r);
(async () => {
  let n = 0;
  for await (const v of tp.setInterval(10, 'tick')) {
    log('got ' + v + ' ' + (++n));
    chain('p', 3);
    if (n === 3) break;
  }
  log('loop done');
})();
const ac = new AbortController();
const it = tp.setInterval(15, 'x', { signal: ac.signal });
it.next().then((r) => {
  log('it first ' + show(r));
  it.next().then((r2) => log('never ' + show(r2)), (e) => log('it rejected ' + e.name + ' ' + e.code + ' cause ' + e.cause));
  it.next().then((r3) => log('it after ' + show(r3)));
  chain('a', 5);
  ac.abort('why');
  chain('b', 5);
});
const pre = tp.setInterval(10, 'y', { signal: AbortSignal.abort('early') });
pre.next().then((r) => log('never'), (e) => log('pre-aborted ' + e.message + ' cause ' + e.cause));
pre.next().then((r) => log('pre then ' + show(r)));
const early = tp.setInterval(10, 'z');
early.return('bye').then((r) => log('return before start ' + show(r)));
early.next().then((r) => log('next after return ' + show(r)));
tp.setInterval(100000, 'u', { ref: false }).next().then(() => log('never (unref)'));
chain('s', 3);
log('main end');
