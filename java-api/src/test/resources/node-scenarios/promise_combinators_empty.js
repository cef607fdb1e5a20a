// No input: all and allSettled are fulfilled at creation (their then runs in the first turn),
// any is rejected at creation with an AggregateError without errors, race stays pending.
const log = (s) => console.log(s);
let n = 0;
const counter = () => {
  n++;
  log('turn ' + n);
  if (n < 3) queueMicrotask(counter);
};
queueMicrotask(counter);
Promise.resolve().then(() => log('plain then before'));
const all = Promise.all([]);
const settled = Promise.allSettled([]);
const any = Promise.any([]);
const race = Promise.race([]);
all.then((v) => log('all [] ' + v.length));
settled.then((v) => log('allSettled [] ' + v.length));
any.catch((e) => log('any [] ' + e.constructor.name + ': ' + e.message + ' errors ' + e.errors.length));
race.then(() => log('race [] fulfilled (never)'), () => log('race [] rejected (never)'));
Promise.race([race, 'sentinel']).then((v) => log('race [] still pending: ' + v));
Promise.all(new Set()).then((v) => log('all of an empty set ' + v.length));
Promise.resolve().then(() => log('plain then after'));
process.on('exit', () => log('exit'));
log('main');
