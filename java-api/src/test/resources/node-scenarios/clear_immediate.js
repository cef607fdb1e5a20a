const a = setImmediate(() => console.log('A (cleared)'));
setImmediate(() => {
  console.log('B');
  clearImmediate(c);
});
const c = setImmediate(() => console.log('C (cleared by B)'));
setImmediate(() => {
  console.log('D');
  process.nextTick(() => clearImmediate(e));
});
const e = setImmediate(() => console.log('E (cleared by a tick)'));
setImmediate(() => console.log('F'));
clearImmediate(a);
clearImmediate(null);
