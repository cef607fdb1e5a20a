// refresh() of a timer from another timer's callback restarts it from the loop's current time:
// it moves behind the other timers of its list and runs in a later pass, after the immediates.
// (The main module blocks past the due times, so all the timers are due in the first pass.)
const log = (s) => console.log(s);
const a = setTimeout(() => log('A (refreshed by B)'), 10);
setTimeout(() => {
  log('B refreshes A');
  a.refresh();
}, 5);
setTimeout(() => log('C'), 10);
setTimeout(() => {
  log('D refreshes C2');
  c2.refresh();
  setImmediate(() => log('immediate from D'));
}, 10);
const c2 = setTimeout(() => log('C2 (refreshed by D)'), 10);
setTimeout(() => log('E'), 10);
const end = Date.now() + 30;
while (Date.now() < end);
