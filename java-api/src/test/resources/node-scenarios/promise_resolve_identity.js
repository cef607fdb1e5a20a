// Promise.resolve(p) of a native promise is p itself: its reactions take no extra turns,
// unlike resolving a new promise with p.
const log = (s) => console.log(s);
const p = Promise.resolve('v');
const same = Promise.resolve(p);
log('same object ' + (same === p));
same.then(() => log('Promise.resolve(p).then'));
new Promise((resolve) => resolve(p)).then(() => log('new Promise(resolve(p)).then'));
p.then(() => log('p.then'));
Promise.resolve().then(() => log('turn 1')).then(() => log('turn 2')).then(() => log('turn 3'));
log('main');
