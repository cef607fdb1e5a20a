// Promise.all's turns: each input goes through Promise.resolve then .then, so a plain value, an
// already-fulfilled promise and a chained one settle their slots in their own turns; the result
// is resolved in the job of the last slot, and its then runs one turn later.
const log = (s) => console.log(s);
const fmt = (v) => '[' + v.map(String).join(',') + ']';
let n = 0;
const counter = () => {
  n++;
  log('turn ' + n);
  if (n < 7) queueMicrotask(counter);
};
queueMicrotask(counter);
let resolveLater;
const pending = new Promise((resolve) => { resolveLater = resolve; });
const adopted = new Promise((resolve) => resolve(Promise.resolve('adopted')));
Promise.all([1, Promise.resolve('resolved'), pending]).then((v) => log('all mixed ' + fmt(v)));
Promise.all([1, 'x', null]).then((v) => log('all values ' + fmt(v)));
Promise.all([Promise.resolve('r')]).then((v) => log('all resolved ' + fmt(v)));
Promise.all([adopted]).then((v) => log('all adopted ' + fmt(v)));
Promise.all([Promise.resolve().then(() => 'chained')]).then((v) => log('all chained ' + fmt(v)));
Promise.all([Promise.all([1]), Promise.all([Promise.all([2])])])
  .then((v) => log('all nested ' + v.map(fmt).join(',')));
queueMicrotask(() => {
  log('micro: resolve pending');
  resolveLater('late');
});
process.nextTick(() => {
  log('tick');
  queueMicrotask(() => log('micro from tick'));
});
Promise.resolve().then(() => log('plain then 1')).then(() => log('plain then 2')).then(() => log('plain then 3'));
log('main');
