// Promise.allSettled: one outcome per input in input order whatever the order they settle in;
// it fulfills in the job of the last input to settle, and never rejects.
const log = (s) => console.log(s);
const show = (s) => s.status + ' ' + (s.status === 'fulfilled' ? s.value : s.reason.message);
let resolveLater;
let rejectLater;
const a = new Promise((resolve) => { resolveLater = resolve; });
const b = new Promise((_, reject) => { rejectLater = reject; });
Promise.allSettled([b, 1, Promise.reject(new Error('now')), a, null, Promise.resolve('r')]).then((list) => {
  log('settled ' + list.length);
  list.forEach((s, i) => log(i + ' ' + show(s)));
});
Promise.allSettled([Promise.reject(new Error('only'))]).then((list) => log('single ' + show(list[0])));
Promise.allSettled([1, Promise.resolve(2)]).then((list) => log('values ' + list.map(show).join(', ')));
setTimeout(() => {
  log('timeout: reject b');
  rejectLater(new Error('later'));
  Promise.resolve().then(() => log('after reject 1')).then(() => log('after reject 2'));
}, 2);
setTimeout(() => {
  log('timeout: resolve a');
  resolveLater('a');
  Promise.resolve().then(() => log('after resolve 1')).then(() => log('after resolve 2'));
}, 4);
Promise.resolve().then(() => log('turn 1')).then(() => log('turn 2')).then(() => log('turn 3'));
log('main');
