// The JavaScript original of TickVsPromise.java: `node tick-vs-promise.js`.
const log = (s) => console.log(s);

setImmediate(() => log('setImmediate: the check phase of the next loop iteration'));
Promise.resolve().then(() => {
  log('promise 1');
  process.nextTick(() => log('nextTick queued by promise 1: after the microtask queue is empty'));
}).then(() => log('promise 2, chained on promise 1'));
queueMicrotask(() => log('queueMicrotask'));
process.nextTick(() => {
  log('nextTick 1');
  process.nextTick(() => log('nextTick 2, queued by nextTick 1: the tick queue drains first'));
  Promise.resolve().then(() => log('promise queued by nextTick 1'));
});
log('main: synchronous code');
