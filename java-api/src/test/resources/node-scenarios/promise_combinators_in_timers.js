// Combinators inside timers and immediates: their jobs run in the microtask drain after the
// callback that made them, before the next timer or immediate of the same phase.
const log = (s) => console.log(s);
setTimeout(() => {
  log('timeout 1');
  Promise.all([1, Promise.resolve(2)]).then((v) => log('all in timeout 1 ' + v.join(',')));
  process.nextTick(() => log('tick in timeout 1'));
  setImmediate(() => {
    log('immediate A');
    let fromTick;
    const viaTick = new Promise((resolve) => { fromTick = resolve; });
    process.nextTick(() => fromTick('tick'));
    Promise.race([new Promise((resolve) => setImmediate(() => resolve('next immediate'))), viaTick])
      .then((v) => log('race in immediate A ' + v));
    Promise.allSettled([Promise.reject(new Error('no')), 'yes'])
      .then((l) => log('allSettled in immediate A ' + l.map((s) => s.status).join(',')));
    queueMicrotask(() => log('micro in immediate A'));
  });
  setImmediate(() => {
    log('immediate B');
    Promise.any([Promise.reject(new Error('b')), new Promise((resolve) => setImmediate(() => resolve('later immediate')))])
      .then((v) => log('any in immediate B ' + v));
  });
}, 1);
setTimeout(() => {
  log('timeout 2');
  Promise.any([Promise.reject(new Error('x')), Promise.resolve('ok')]).then((v) => log('any in timeout 2 ' + v));
  Promise.all([Promise.all([]), Promise.race(['r'])]).then((v) => log('nested in timeout 2 ' + v[0].length + ' ' + v[1]));
}, 1);
// Both timers due in the first timers pass, even if a millisecond passed between the two
// setTimeout calls (else timeout 2 waits for the next pass, after the immediates).
const end = Date.now() + 30;
while (Date.now() < end);
