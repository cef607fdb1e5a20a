// Promise.race: a plain value and an already-settled promise both settle in the first turn, so
// input order decides between them; a promise resolved with a promise takes two turns more; a
// pending one only wins when nothing settled first. Losers rejecting later are handled.
const log = (s) => console.log(s);
process.on('unhandledRejection', (r) => log('unhandledRejection ' + r.message));
let n = 0;
const counter = () => {
  n++;
  log('turn ' + n);
  if (n < 5) queueMicrotask(counter);
};
queueMicrotask(counter);
// One duration, so the timers fire in the order they were made.
const early = new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2));
const pending = new Promise((resolve) => setTimeout(() => resolve('pending'), 2));
const tooLate = new Promise((_, reject) => setTimeout(() => reject(new Error('too late')), 2));
const adopting = () => new Promise((resolve) => resolve(Promise.resolve('adopting')));
Promise.race([pending, 'value', Promise.resolve('resolved')]).then((v) => log('race 1 ' + v));
Promise.race([Promise.resolve('resolved'), 'value']).then((v) => log('race 2 ' + v));
Promise.race([adopting(), 'value']).then((v) => log('race 3 ' + v));
Promise.race([adopting(), Promise.resolve().then(() => 'one then')]).then((v) => log('race 4 ' + v));
Promise.race([adopting(), Promise.resolve().then(() => 0).then(() => 'two thens')]).then((v) => log('race 5 ' + v));
Promise.race([Promise.reject(new Error('rejected')), 'value'])
  .then((v) => log('race 6 ' + v), (e) => log('race 6 rejected ' + e.message));
Promise.race([pending]).then((v) => log('race 7 ' + v));
Promise.race([pending, tooLate])
  .then((v) => log('race 8 ' + v), (e) => log('race 8 rejected ' + e.message));
Promise.race([early, pending])
  .then((v) => log('race 9 ' + v), (e) => log('race 9 rejected ' + e.message));
log('main');
