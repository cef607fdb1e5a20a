// Promise.all rejects with the first rejection; inputs that reject later are handled (no
// 'unhandledRejection') and neither they nor late fulfillments change the result.
const log = (s) => console.log(s);
process.on('unhandledRejection', (r) => log('unhandledRejection ' + r.message));
const late = (ms, v, fail) => new Promise((resolve, reject) => setTimeout(() => {
  log('settle ' + v);
  if (fail) reject(new Error(v)); else resolve(v);
}, ms));
// One duration, so the timers fire in the order they were made, each with its microtasks.
const bad1 = late(2, 'bad1', true);
const bad2 = late(2, 'bad2', true);
const ok1 = late(2, 'ok1');
const ok2 = late(2, 'ok2');
Promise.all([ok1, bad1, bad2, ok2])
  .then(() => log('all fulfilled (never)'), (e) => log('all rejected ' + e.message));
Promise.all([Promise.reject(new Error('first')), Promise.reject(new Error('second')), 1])
  .catch((e) => log('sync inputs rejected ' + e.message));
const p = Promise.all([Promise.resolve(1), Promise.reject(new Error('x')), new Promise(() => {})]);
p.catch((e) => log('catch ' + e.message));
p.then(() => log('p fulfilled (never)'), () => log('p rejected, second handler'));
Promise.resolve().then(() => log('turn 1')).then(() => log('turn 2')).then(() => log('turn 3'));
process.on('exit', () => log('exit'));
log('main');
