// Resolving with a promise costs two extra microtask turns (the thenable job, then the
// reaction); a then handler returning a promise likewise; counted against a plain chain.
const log = (s) => console.log(s);
const base = Promise.resolve('v');
new Promise((resolve) => resolve(base)).then(() => log('resolved with a promise'));
base.then(() => log('direct then'));
Promise.resolve().then(() => base).then(() => log('handler returned a promise'));
Promise.resolve().then(() => 'plain').then(() => log('handler returned a value'));
let n = 0;
const counter = () => {
  n++;
  log('turn ' + n);
  if (n < 5) return Promise.resolve().then(counter);
};
queueMicrotask(counter);
const rejected = Promise.reject(new Error('r'));
new Promise((resolve) => resolve(rejected)).catch((e) => log('adopted rejection ' + e.message));
rejected.catch(() => log('direct catch'));
log('main');
